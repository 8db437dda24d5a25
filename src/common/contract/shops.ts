// Contract of the shops.* methods: connected Kuaishou shops as the desk shows them. Secrets go in, never out.
import { z } from 'zod';
import { defineMethods } from './define';
import { epochMsSchema } from './ids';

export const signMethodSchema = z.enum(['HMAC_SHA256', 'MD5']);
export const shopStatusSchema = z.enum(['connected', 'needs_reauthorization', 'disconnected']);
export const shopAuthModeSchema = z.enum(['pasted_token', 'oauth']);

/** A shop as every transport may see it: no app secret, sign secret or token, ever. */
export const shopSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    baseUrl: z.string(),
    appKey: z.string(),
    signMethod: signMethodSchema,
    authMode: shopAuthModeSchema,
    status: shopStatusSchema,
    statusReason: z.string().nullable(),
    isDemo: z.boolean(),
    /** True when the desk can renew the access token by itself (it holds a refresh token and the app secret). */
    canRefresh: z.boolean(),
    accessTokenExpiresAt: epochMsSchema.nullable(),
    refreshTokenExpiresAt: epochMsSchema.nullable(),
    createdAt: epochMsSchema,
    updatedAt: epochMsSchema,
  })
  .strict();
export type Shop = z.infer<typeof shopSchema>;

const secretText = z.string().trim().min(1).max(4096);
const baseUrlSchema = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(300)
  .transform((url) => url.replace(/\/+$/, ''));

export const connectShopInputSchema = z
  .object({
    /** Reconnect (re-authorize) this existing shop instead of matching by app key and base URL. */
    shopId: z.string().min(1).max(100).optional(),
    name: z.string().trim().min(1).max(100).optional(),
    baseUrl: baseUrlSchema.optional(),
    appKey: z.string().trim().min(1).max(200),
    appSecret: secretText.optional(),
    signSecret: secretText,
    signMethod: signMethodSchema.optional(),
    /** A token pasted from the console's 复制token button (about 48 hours, no refresh unless refreshToken is also given). */
    accessToken: secretText.optional(),
    refreshToken: secretText.optional(),
    /** An authorization code from the OAuth redirect (valid 2 minutes, once); needs appSecret. */
    code: secretText.optional(),
  })
  .strict()
  .superRefine((input, issues) => {
    if (!input.accessToken && !input.code) {
      issues.addIssue({ code: 'custom', path: ['accessToken'], message: 'give either an access token or an authorization code' });
    }
    if (input.accessToken && input.code) {
      issues.addIssue({ code: 'custom', path: ['code'], message: 'give an access token or an authorization code, not both' });
    }
    if (input.code && !input.appSecret) {
      issues.addIssue({ code: 'custom', path: ['appSecret'], message: 'an authorization code can only be exchanged with the app secret' });
    }
    if (input.refreshToken && !input.appSecret) {
      issues.addIssue({ code: 'custom', path: ['appSecret'], message: 'a refresh token is only usable with the app secret' });
    }
  });
export type ConnectShopInput = z.input<typeof connectShopInputSchema>;

export const shopsMethods = defineMethods({
  'shops.list': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({}).strict(),
    output: z.object({ shops: z.array(shopSchema) }).strict(),
  },
  'shops.connect': { permission: 'manage_shops', changesState: true, input: connectShopInputSchema, output: shopSchema },
  'shops.connectDemo': { permission: 'manage_shops', changesState: true, input: z.object({}).strict(), output: shopSchema },
});
