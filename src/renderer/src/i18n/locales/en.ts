// English: every key of zh-CN, kept complete by a unit test.
import type zhCN from './zh-CN';

const en: typeof zhCN = {
  app: {
    title: 'ReturnDesk',
    loading: 'Loading…',
  },
  status: {
    version: 'Version {version}',
    schema: 'Schema v{version}',
    dataDir: 'Data folder',
    transport: { ipc: 'Desktop', http: 'Browser mode' },
    rows: '{count} rows',
    unavailable: 'Cannot reach the desk backend',
  },
  home: {
    welcome: 'Welcome to ReturnDesk',
    intro: 'Scan returned parcels, find the after-sale, enter the return waybill for the buyer and confirm receipt.',
  },
  language: { label: 'Language', 'zh-CN': '简体中文', en: 'English' },
  errors: {
    invalid_input: 'Invalid input: {message}',
    unknown_method: 'Unknown action',
    unauthorized: 'The access token is wrong; open the link the desk printed again',
    not_signed_in: 'Sign in as an operator first',
    forbidden: 'This operator lacks the "agree to refund" permission',
    not_found: 'Not found',
    conflict: 'The action conflicts with the current state',
    invalid_state: 'The after-sale is not in a state that allows this',
    platform_rejected: 'Kuaishou refused the request: {message}',
    platform_unavailable: 'Kuaishou is unreachable; the action is saved and will upload later',
    needs_reauthorization: 'The shop authorization has expired; authorize again',
    rate_limited: 'Too many requests; try again shortly',
    database_too_new: 'The local database comes from a newer ReturnDesk; update the app',
    payload_too_large: 'The request is too large',
    internal: 'Internal error in the desk; see the log',
  },
};

export default en;
