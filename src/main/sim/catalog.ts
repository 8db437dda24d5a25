// The demo shop's catalogue and buyer vocabulary: Chinese item titles, SKU names, refund reasons.

export interface CatalogItem {
  itemId: string;
  title: string;
  skus: { skuId: string; nick: string; price: number }[];
}

const ITEM_DEFS: [string, string[], number][] = [
  ['夏季纯棉短袖T恤男女同款宽松圆领上衣', ['白色 M', '白色 L', '黑色 XL', '雾霾蓝 L'], 3990],
  ['冰丝阔腿裤女高腰垂感显瘦休闲裤', ['黑色 S', '黑色 M', '杏色 L'], 5900],
  ['加绒加厚连帽卫衣秋冬情侣款', ['灰色 XL', '藏青 2XL', '米白 L'], 8900],
  ['儿童防滑运动鞋男童魔术贴网面透气', ['蓝色 28码', '粉色 31码', '黑色 34码'], 6900],
  ['不锈钢保温杯大容量男士泡茶杯', ['316钢 500ml', '316钢 750ml'], 4580],
  ['家用电煮锅学生宿舍多功能小火锅', ['1.8L 单锅', '1.8L 带蒸笼'], 7900],
  ['无线蓝牙耳机半入耳式降噪超长续航', ['白色 标准版', '黑色 旗舰版'], 12900],
  ['韩版ins风帆布包女大容量单肩包', ['米白', '卡其'], 3500],
  ['洗脸巾一次性加厚珍珠纹擦脸巾', ['6卷装', '12卷装'], 2990],
  ['记忆棉枕头护颈椎单人睡眠枕芯', ['标准款 一只', '高低款 一对'], 6800],
  ['男士商务休闲皮鞋真皮软底', ['黑色 41码', '棕色 42码', '黑色 43码'], 19900],
  ['大码女装遮肉连衣裙碎花长裙', ['碎花 2XL', '碎花 3XL', '纯色 4XL'], 9900],
  ['宝宝纯棉连体衣春秋新生儿哈衣', ['66cm', '73cm', '80cm'], 4900],
  ['厨房置物架落地多层微波炉架', ['三层 白色', '四层 黑色'], 8800],
  ['手机壳适用苹果15透明防摔', ['iPhone15 透明', 'iPhone15Pro 磨砂黑'], 1990],
  ['羽绒服女中长款过膝加厚白鸭绒', ['黑色 M', '奶白 L'], 39900],
  ['电动牙刷成人声波全自动软毛', ['星空黑 2刷头', '樱花粉 4刷头'], 15900],
  ['零食大礼包网红休闲小吃整箱', ['混合装 1.5kg'], 5990],
  ['瑜伽垫加厚防滑健身垫家用', ['10mm 紫色', '15mm 灰色'], 4200],
  ['四件套全棉纯棉床单被套床上用品', ['1.5m床 灰格', '1.8m床 奶油白'], 16900],
  ['汽车座椅头枕护颈枕车用靠枕', ['黑色 一个'], 3900],
  ['女士真丝睡衣套装长袖春秋', ['香槟色 M', '墨绿 L'], 25900],
  ['儿童益智积木拼装玩具大颗粒', ['120粒 桶装', '260粒 桶装'], 7900],
  ['防晒霜SPF50清爽不油腻', ['50ml 单支', '50ml 两支装'], 8900],
];

/** Catalogue ids are stable for a world: the first items have ids above 2^53 as on the real platform. */
export const CATALOG: CatalogItem[] = ITEM_DEFS.map(([title, skus, price], n) => {
  const itemId = n % 2 === 0 ? String(22_010_000_000_000_000n + BigInt(n) * 7_919n) : String(2_201_000_000_000_000n + BigInt(n) * 104_729n);
  return {
    itemId,
    title,
    skus: skus.map((nick, k) => ({
      skuId: String(BigInt(itemId) * 10n + BigInt(k + 1)),
      nick,
      price: price + k * 500,
    })),
  };
});

export const REFUND_REASONS: [number, string][] = [
  [1, '七天无理由退货'],
  [2, '尺码不合适'],
  [3, '质量问题'],
  [4, '商家发错货'],
  [5, '商品与描述不符'],
  [6, '不想要了'],
  [7, '少件/漏发'],
  [8, '收到商品破损'],
  [9, '未按约定时间发货'],
];

export const BUYER_DESCS = [
  '',
  '穿着不合适，麻烦尽快处理',
  '颜色和图片差别太大',
  '收到就是坏的，外包装也破了',
  '拍错了，想换个尺码',
  '质量不好，线头很多',
  '物流太慢不想要了',
  '家里人已经买了',
  '少发了一件，请核实',
];

export const RETURN_ADDRESS = {
  consignee: '王仓管',
  mobile: '138****6621',
  province: '浙江省',
  city: '杭州市',
  district: '余杭区',
  address: '仓前街道良睦路1399号 演示店退货仓',
};

export function pictureUrl(seed: string): string {
  return `https://p1.kwaixiaodian.example/refund/${seed}.jpg`;
}
