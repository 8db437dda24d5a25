// Waybill scanning logic shared by the renderer (instant feedback) and the core (validation).
export * from './rules';
export * from './check-digits';
export * from './normalize';
export * from './detect';
