// The handler registry type: one async function per contract method, checked by the compiler.
import type { MethodInput, MethodName, MethodOutput } from '../../../common/contract';
import type { CoreContext } from './context';

export type Handler<M extends MethodName> = (ctx: CoreContext, input: MethodInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type HandlerMap = { [M in MethodName]: Handler<M> };

/** Lets a feature module declare a typed subset of the handlers. */
export function defineHandlers<const K extends MethodName>(handlers: { [M in K]: Handler<M> }): { [M in K]: Handler<M> } {
  return handlers;
}
