// Where the last scans went and how many wait for the desk: written by the app's scan routing, shown by the header
// and the sign-in screen (e2e tests read it there too).
import { reactive } from 'vue';

export const scanState = reactive({ heldScans: 0, lastScan: '', lastRoute: '' });
