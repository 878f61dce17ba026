/**
 * The assistant's built-in FAQ: the property company's standing answers, in Chinese and English. Each entry's
 * questions and keywords are what retrieval matches; the answer is what the resident reads. Community-specific
 * facts (fees, tariffs, schedules, outages) come from live records and notices, never from here.
 */

export interface FaqEntry {
  readonly id: string
  readonly question: { readonly zh: string; readonly en: string }
  /** Extra terms people use for the topic (both languages). */
  readonly keywords: string
  readonly answer: { readonly zh: string; readonly en: string }
}

/** The service centre's number, given whenever the assistant does not know. */
export const DEFAULT_SERVICE_PHONE = '400-820-5200'

export const faq: readonly FaqEntry[] = [
  {
    id: 'faq-office-hours',
    question: { zh: '物业服务中心的办公时间和地址？', en: 'When is the property service centre open?' },
    keywords: '上班 营业 开门 服务中心 客服 office opening hours open service centre center',
    answer: {
      zh: '物业服务中心每天 8:30–18:00 办公，位于小区南门旁；夜间值班电话见下方。',
      en: 'The service centre is open daily 8:30–18:00, next to the south gate; the night duty phone is below.',
    },
  },
  {
    id: 'faq-pay-fees',
    question: { zh: '怎么缴纳物业费？', en: 'How do I pay the property fee?' },
    keywords: '缴费 交费 缴纳 付款 支付 微信 支付宝 柜台 pay payment wechat alipay counter online',
    answer: {
      zh: '可在业主 App 或微信公众号“账单”中在线支付，也可到服务中心柜台刷卡或扫码缴费，缴费后自动生成电子收据。',
      en: 'Pay online under "Bills" in the residents’ app or WeChat account, or at the service-centre counter; an electronic receipt is issued at once.',
    },
  },
  {
    id: 'faq-fee-standard',
    question: { zh: '物业费的收费标准是什么？', en: 'What are the property fee standards?' },
    keywords: '收费标准 单价 每平方米 价格 fee standard rate price per square metre charge',
    answer: {
      zh: '物业费按建筑面积 × 单价按月计收，单价以物价部门备案的收费标准为准，公示在服务中心。',
      en: 'The property fee is floor area × the unit price per month, at the rate filed with the price bureau and posted at the service centre.',
    },
  },
  {
    id: 'faq-elevator-maintenance',
    question: { zh: '电梯多久维护保养一次？', en: 'How often are the elevators maintained?' },
    keywords: '电梯 维保 保养 检修 年检 lift elevator maintenance service inspection schedule',
    answer: {
      zh: '按《电梯维护保养规则》(TSG T5002)，每台电梯至少每 15 天保养一次，保养时段会提前在公告中通知。',
      en: 'Under TSG T5002 every elevator is serviced at least every 15 days; service times are announced in advance in the notices.',
    },
  },
  {
    id: 'faq-repair',
    question: { zh: '家里东西坏了怎么报修？', en: 'How do I report a repair?' },
    keywords: '报修 维修 坏了 漏水 故障 repair broken leak fault fix report',
    answer: {
      zh: '在业主 App“报修”中提交（可附照片），或致电服务中心；维修人员接单后会联系您，进度可随时查询。',
      en: 'Report it under "Repairs" in the app (photos welcome) or call the service centre; the repairer contacts you once assigned, and you can follow the progress.',
    },
  },
  {
    id: 'faq-visitor',
    question: { zh: '访客怎么进小区？', en: 'How can my visitor get in?' },
    keywords: '访客 来访 客人 朋友 亲戚 通行证 二维码 邀请 visitor guest friend pass qr invite',
    answer: {
      zh: '在 App“访客邀请”中填写访客信息并生成访客二维码，访客在有效时间内到门岗扫码即可进入。',
      en: 'Create a visitor pass under "Visitors" in the app and send the QR code; the visitor scans it at the gate within its validity.',
    },
  },
  {
    id: 'faq-parking',
    question: { zh: '临时停车怎么收费？', en: 'How much does temporary parking cost?' },
    keywords: '停车 停车费 临时停车 车位 月租 包月 parking car park temporary monthly space tariff',
    answer: {
      zh: '临时停车按停车场公示的收费标准计费（含免费时长和每日封顶）；长期停车可到服务中心办理月租。',
      en: 'Temporary parking is charged by the posted tariff (with free minutes and a daily cap); monthly parking is arranged at the service centre.',
    },
  },
  {
    id: 'faq-parcels',
    question: { zh: '快递放在哪里？怎么取？', en: 'Where do I collect my parcels?' },
    keywords: '快递 包裹 取件 快递柜 驿站 parcel package delivery locker courier collect',
    answer: {
      zh: '快递由门岗代收或放入智能快递柜，取件码会通过短信发送；门岗代收的凭取件码领取。',
      en: 'Parcels go to the gatehouse or the parcel lockers; the pickup code arrives by SMS, and the gatehouse hands parcels over against it.',
    },
  },
  {
    id: 'faq-renovation',
    question: { zh: '装修需要办理什么手续？', en: 'What do I need before renovating?' },
    keywords: '装修 施工 噪音 申请 押金 renovation renovate decoration construction noise permit deposit',
    answer: {
      zh: '装修前到服务中心办理装修登记并签订装修管理协议；施工时间为工作日 8:00–12:00、14:00–18:00，周末禁止噪音施工。',
      en: 'Register the renovation at the service centre and sign the agreement first; noisy work is allowed on weekdays 8:00–12:00 and 14:00–18:00, never at weekends.',
    },
  },
  {
    id: 'faq-pets',
    question: { zh: '小区里养宠物有什么规定？', en: 'What are the rules for pets?' },
    keywords: '宠物 养狗 遛狗 猫 犬 pet dog cat leash keep allowed',
    answer: {
      zh: '犬只须办理犬证，出门牵绳并及时清理粪便；大型犬和烈性犬禁止饲养。',
      en: 'Dogs need a licence, must be on a leash outside and cleaned up after; large and dangerous breeds are not allowed.',
    },
  },
  {
    id: 'faq-waste',
    question: { zh: '垃圾分类和投放时间？', en: 'When and how do I put out the rubbish?' },
    keywords: '垃圾 分类 投放 厨余 可回收 garbage rubbish trash waste recycling sorting',
    answer: {
      zh: '垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾，定时投放时间为 7:00–9:00 和 18:00–20:00。',
      en: 'Sort into recyclables, hazardous, kitchen and other waste; drop-off times are 7:00–9:00 and 18:00–20:00.',
    },
  },
  {
    id: 'faq-access-card',
    question: { zh: '门禁卡丢了怎么办？', en: 'I lost my access card, what should I do?' },
    keywords: '门禁 门禁卡 丢失 补办 人脸 密码 access card lost replace face pin door',
    answer: {
      zh: '请尽快到服务中心挂失并补办，旧卡即刻失效；也可使用二维码或密码开门。人脸识别需本人书面同意后才能录入。',
      en: 'Report it at the service centre: the old card is revoked at once and a new one issued; meanwhile use a QR code or PIN. Face access needs your written consent first.',
    },
  },
  {
    id: 'faq-home-services',
    question: { zh: '可以预约家政保洁或者居家养老服务吗？', en: 'Can I book housekeeping or elderly care?' },
    keywords: '家政 保洁 养老 护理 上门 预约 housekeeping cleaning elderly care nursing book service',
    answer: {
      zh: '可以。在 App“生活服务”中选择合作的家政、养老等服务商下单，完成后可以评价。',
      en: 'Yes: book a partner provider (housekeeping, elderly care and more) under "Services" in the app, and rate the service afterwards.',
    },
  },
]
