// The one-key inspection results of the desk: digit → result, in the order the keys are taught.
import type { InspectionResult } from '../../../common/contract/inspection';

export const RESULT_KEYS: readonly { code: string; digit: string; result: InspectionResult }[] = [
  { code: 'Digit1', digit: '1', result: 'passed' },
  { code: 'Digit2', digit: '2', result: 'empty' },
  { code: 'Digit3', digit: '3', result: 'wrong_item' },
  { code: 'Digit4', digit: '4', result: 'damaged' },
  { code: 'Digit5', digit: '5', result: 'missing_parts' },
  { code: 'Digit6', digit: '6', result: 'used' },
  { code: 'Digit7', digit: '7', result: 'other' },
];
