// Ambient types for the renderer: Vue single-file components and the preload bridge.
/// <reference types="vite/client" />
import type { DeskBridge } from '../../preload/bridge';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    returnDesk?: DeskBridge;
  }
}
