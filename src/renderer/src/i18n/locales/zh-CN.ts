// Simplified Chinese, the default language of the desk.
export default {
  app: {
    title: '退货签收台',
    loading: '正在加载…',
  },
  status: {
    version: '版本 {version}',
    schema: '数据库结构 v{version}',
    dataDir: '数据目录',
    transport: { ipc: '桌面版', http: '浏览器模式' },
    rows: '{count} 条记录',
    unavailable: '无法连接到签收台后台',
  },
  home: {
    welcome: '欢迎使用退货签收台',
    intro: '扫描退货包裹，找到售后单，代客填写退货单号并确认收货。',
  },
  language: { label: '语言', 'zh-CN': '简体中文', en: 'English' },
  errors: {
    invalid_input: '输入有误：{message}',
    unknown_method: '未知的操作',
    unauthorized: '访问令牌无效，请重新打开签收台给出的链接',
    not_signed_in: '请先登录操作员',
    forbidden: '当前操作员没有“同意退款”权限',
    not_found: '未找到',
    conflict: '操作与当前状态冲突',
    invalid_state: '售后单当前状态不允许此操作',
    platform_rejected: '快手平台拒绝了请求：{message}',
    platform_unavailable: '无法连接快手平台，操作已保存，稍后自动上传',
    needs_reauthorization: '店铺授权已失效，请重新授权',
    rate_limited: '请求过于频繁，请稍后再试',
    database_too_new: '本地数据库来自更新版本的签收台，请升级应用',
    payload_too_large: '请求内容过大',
    internal: '签收台内部错误，请查看日志',
  },
};
