// The one table of DeskApi methods: it drives the preload, the IPC registration, the HTTP bridge and the client.
import type { z } from 'zod';
import { afterSalesMethods } from './after-sales';
import { aliasMethods } from './aliases';
import { appMethods } from './app';
import { auditMethods } from './audit';
import { backofficeMethods } from './backoffice';
import { deskMethods } from './desk';
import { inspectionMethods } from './inspection';
import { operatorsMethods } from './operators';
import { securityMethods } from './security';
import { shopsMethods } from './shops';
import { shopSyncMethods } from './shop-sync';
import { syncMethods } from './sync';
import { videoMethods } from './video';
import { waybillsMethods } from './waybills';
import { warehouseMethods } from './warehouse';

export const methods = {
  ...appMethods,
  ...afterSalesMethods,
  ...syncMethods,
  ...operatorsMethods,
  ...auditMethods,
  ...deskMethods,
  ...shopsMethods,
  ...waybillsMethods,
  ...securityMethods,
  ...aliasMethods,
  ...backofficeMethods,
  ...inspectionMethods,
  ...videoMethods,
  ...shopSyncMethods,
  ...warehouseMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
