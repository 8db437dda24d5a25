// Hand-written pinyin for the couriers a desk actually picks, so "sf", "shunfeng" or "jtsd" find them in search.
//
// Why hand-written rather than a pinyin library: src/common runs in the renderer too, and a pinyin
// dictionary (hundreds of KB) would dwarf the code that uses it for ~30 names; polyphonic characters
// make automatic readings of names unreliable; and a short reviewed list is exact and needs no package.
// The order of this list is also the tie-break order of search results (most common couriers first).

export interface CourierPinyin {
  /** Kuaishou expressCode. */
  code: number;
  /** First letter of each syllable of the Chinese name, lower case. */
  initials: string;
  /** Full pinyin of the Chinese name without tones or spaces, lower case. */
  full: string;
}

export const courierPinyin: readonly CourierPinyin[] = [
  { code: 9, initials: 'ztkd', full: 'zhongtongkuaidi' },
  { code: 6, initials: 'ytsd', full: 'yuantongsudi' },
  { code: 11, initials: 'ydkd', full: 'yundakuaidi' },
  { code: 3, initials: 'stkd', full: 'shentongkuaidi' },
  { code: 109, initials: 'jtsd', full: 'jitusudi' },
  { code: 4, initials: 'sfsy', full: 'shunfengsuyun' },
  { code: 14, initials: 'jd', full: 'jingdong' },
  { code: 8, initials: 'yzkdbg', full: 'youzhengkuaidibaoguo' },
  { code: 53, initials: 'dbkd', full: 'debangkuaidi' },
  { code: 17, initials: 'db', full: 'debang' },
  { code: 10, initials: 'zjs', full: 'zhaijisong' },
  { code: 25, initials: 'kysy', full: 'kuayuesuyun' },
  { code: 15, initials: 'yswl', full: 'yousuwuliu' },
  { code: 40, initials: 'ankd', full: 'annengkuaidi' },
  { code: 43, initials: 'anky', full: 'annengkuaiyun' },
  { code: 113, initials: 'cnsd', full: 'cainiaosudi' },
  { code: 112, initials: 'zykd', full: 'zhongyoukuaidi' },
  { code: 136, initials: 'jdky', full: 'jingdongkuaiyun' },
  { code: 137, initials: 'jddj', full: 'jingdongdajian' },
  { code: 7, initials: 'ydky', full: 'yundakuaiyun' },
  { code: 12, initials: 'ztky', full: 'zhongtongkuaiyun' },
  { code: 13, initials: 'ytky', full: 'yuantongkuaiyun' },
  { code: 100, initials: 'ymdd', full: 'yimidida' },
  { code: 127, initials: 'fwsy', full: 'fengwangsuyun' },
  { code: 86, initials: 'sxjd', full: 'shunxinjieda' },
  { code: 5, initials: 'ttkd', full: 'tiantiankuaidi' },
  { code: 1, initials: 'bskd', full: 'baishikuaidi' },
  { code: 9999, initials: 'qt', full: 'qita' },
];
