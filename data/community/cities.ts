/**
 * The cities communities are generated in: districts with their real administrative division codes and
 * approximate centres (for geo anchors and ID numbers), the province's plate prefix, and the word lists that make
 * community names and addresses look local.
 */

export interface District {
  readonly name: string
  /** GB/T 2260 county-level division code, the first 6 digits of a local resident's ID number. */
  readonly code: string
  readonly lat: number
  readonly lon: number
}

export interface City {
  readonly name: string
  /** Province abbreviation on licence plates (沪, 浙, 川 …). */
  readonly plateProvince: string
  /** Plate letters of the province, the city's own first; most cars carry the first. */
  readonly plateLetters: readonly string[]
  readonly districts: readonly District[]
  /** Shanghai numbers communities by lane (弄); most other cities by street number (号). */
  readonly addressSuffix: '弄' | '号'
}

export const CITIES: readonly City[] = [
  {
    name: '上海市',
    plateProvince: '沪',
    plateLetters: ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N'],
    addressSuffix: '弄',
    districts: [
      { name: '黄浦区', code: '310101', lat: 31.2317, lon: 121.4846 },
      { name: '徐汇区', code: '310104', lat: 31.1885, lon: 121.4365 },
      { name: '长宁区', code: '310105', lat: 31.2204, lon: 121.4244 },
      { name: '静安区', code: '310106', lat: 31.2287, lon: 121.448 },
      { name: '普陀区', code: '310107', lat: 31.2494, lon: 121.3971 },
      { name: '虹口区', code: '310109', lat: 31.2646, lon: 121.5052 },
      { name: '杨浦区', code: '310110', lat: 31.2595, lon: 121.526 },
      { name: '闵行区', code: '310112', lat: 31.1127, lon: 121.3817 },
      { name: '宝山区', code: '310113', lat: 31.4054, lon: 121.4895 },
      { name: '嘉定区', code: '310114', lat: 31.3747, lon: 121.2655 },
      { name: '浦东新区', code: '310115', lat: 31.2215, lon: 121.5447 },
    ],
  },
  {
    name: '杭州市',
    plateProvince: '浙',
    plateLetters: ['A', 'B', 'C', 'D', 'F', 'G'],
    addressSuffix: '号',
    districts: [
      { name: '上城区', code: '330102', lat: 30.2426, lon: 120.1692 },
      { name: '拱墅区', code: '330105', lat: 30.3198, lon: 120.142 },
      { name: '西湖区', code: '330106', lat: 30.2595, lon: 120.13 },
      { name: '滨江区', code: '330108', lat: 30.2083, lon: 120.2117 },
      { name: '萧山区', code: '330109', lat: 30.184, lon: 120.2645 },
      { name: '余杭区', code: '330110', lat: 30.419, lon: 120.299 },
    ],
  },
  {
    name: '成都市',
    plateProvince: '川',
    plateLetters: ['A', 'G', 'B', 'C', 'F', 'Q'],
    addressSuffix: '号',
    districts: [
      { name: '锦江区', code: '510104', lat: 30.5986, lon: 104.083 },
      { name: '青羊区', code: '510105', lat: 30.6741, lon: 104.0619 },
      { name: '金牛区', code: '510106', lat: 30.6918, lon: 104.052 },
      { name: '武侯区', code: '510107', lat: 30.6423, lon: 104.043 },
      { name: '成华区', code: '510108', lat: 30.66, lon: 104.1015 },
      { name: '双流区', code: '510116', lat: 30.5744, lon: 103.9232 },
    ],
  },
  {
    name: '南京市',
    plateProvince: '苏',
    plateLetters: ['A', 'E', 'B', 'D', 'F', 'H'],
    addressSuffix: '号',
    districts: [
      { name: '玄武区', code: '320102', lat: 32.0486, lon: 118.7977 },
      { name: '秦淮区', code: '320104', lat: 32.039, lon: 118.7947 },
      { name: '建邺区', code: '320105', lat: 32.0035, lon: 118.7318 },
      { name: '鼓楼区', code: '320106', lat: 32.0662, lon: 118.77 },
      { name: '栖霞区', code: '320113', lat: 32.0966, lon: 118.9091 },
      { name: '江宁区', code: '320115', lat: 31.9527, lon: 118.8397 },
    ],
  },
  {
    name: '武汉市',
    plateProvince: '鄂',
    plateLetters: ['A', 'B', 'C', 'D', 'E', 'F'],
    addressSuffix: '号',
    districts: [
      { name: '江岸区', code: '420102', lat: 30.6, lon: 114.3094 },
      { name: '江汉区', code: '420103', lat: 30.6015, lon: 114.2708 },
      { name: '武昌区', code: '420106', lat: 30.5538, lon: 114.316 },
      { name: '洪山区', code: '420111', lat: 30.5004, lon: 114.3436 },
    ],
  },
]

/**
 * Division codes of places many residents come from (people keep their birthplace's code for life), used for part
 * of the tenants and elderly parents so a community does not look like everyone was born next door.
 */
export const ORIGIN_DIVISIONS: readonly string[] = [
  '340104', // 合肥市蜀山区
  '410105', // 郑州市金水区
  '430104', // 长沙市岳麓区
  '360102', // 南昌市东湖区
  '370102', // 济南市历下区
  '500103', // 重庆市渝中区
  '320106', // 南京市鼓楼区
  '330106', // 杭州市西湖区
  '420106', // 武汉市武昌区
  '510107', // 成都市武侯区
  '310104', // 上海市徐汇区
]

/** First halves of community names; the era suffixes below finish them. */
export const NAME_STEMS: readonly string[] = [
  '锦绣',
  '翠湖',
  '金桂',
  '香樟',
  '紫荆',
  '银杏',
  '春晓',
  '望江',
  '御景',
  '阳光',
  '嘉和',
  '明珠',
  '东方',
  '世纪',
  '馨园',
  '碧水',
  '朗诗',
  '星河',
  '海棠',
  '云栖',
  '静安',
  '长风',
  '丽都',
  '和美',
  '兰亭',
  '清枫',
  '璟园',
  '天悦',
]

/** Name endings by era: older mixed estates are 新村/小区, newer high-rise ones 华庭/名邸/公馆. */
export const NAME_SUFFIXES = {
  mixed: ['花园', '新苑', '家园', '雅苑', '小区', '新村'],
  highrise: ['华庭', '名邸', '公馆', '壹号', '天地', '府'],
} as const

/** Street names for addresses; synthetic, chosen to read naturally in any of the cities. */
export const STREET_NAMES: readonly string[] = [
  '锦华路',
  '长风路',
  '金沙路',
  '桂林路',
  '文昌路',
  '建设路',
  '青年路',
  '滨河路',
  '光华路',
  '新华路',
  '中山路',
  '和平路',
  '学府路',
  '晨光路',
  '丰收路',
  '虹桥路',
  '天山路',
  '枫林路',
  '望江路',
  '东湖路',
]
