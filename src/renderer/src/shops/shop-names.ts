// Shop names for the card, the queue and exports: shown once more than one shop works at this desk.
import { computed } from 'vue';
import { useSession } from '../operators/session';

export function useShopNames() {
  const session = useSession();
  const names = computed(() => new Map((session.shops ?? []).map((shop) => [shop.id, shop.name])));
  return {
    /** Several shops at this desk: the shop is worth showing. */
    multiShop: computed(() => (session.shops ?? []).length > 1),
    shops: computed(() => session.shops ?? []),
    nameOf: (shopId: string) => names.value.get(shopId) ?? shopId,
  };
}
