// What the desk screen tells the inspection panel about the card in hand; the panel passes it on to the unpacking video.
import type { AfterSale } from '../../../common/contract/after-sales';

export interface InspectedCard {
  afterSale: AfterSale | null;
  scanId?: string | undefined;
  videoOn: boolean;
  /** The after-sale just confirmed here. */
  confirmedRefundId: string | null;
}
