/**
 * Synthetic Chinese names: surnames weighted by their approximate national frequency, given names that follow the
 * fashion of the decade a person was born in (a 1950s 建国 or 秀英, a 2010s 梓轩 or 欣怡), so a family reads right.
 */
import type { Rng } from './rng.ts'

/** Surname and approximate share of the population, percent (the long tail is folded into the listed ones). */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.1],
  ['李', 7.0],
  ['张', 6.7],
  ['刘', 5.4],
  ['陈', 4.6],
  ['杨', 3.1],
  ['黄', 2.4],
  ['赵', 2.3],
  ['吴', 2.0],
  ['周', 1.9],
  ['徐', 1.5],
  ['孙', 1.4],
  ['马', 1.3],
  ['朱', 1.2],
  ['胡', 1.1],
  ['郭', 1.1],
  ['何', 1.0],
  ['林', 0.97],
  ['高', 0.97],
  ['罗', 0.86],
  ['郑', 0.83],
  ['梁', 0.8],
  ['谢', 0.6],
  ['宋', 0.5],
  ['唐', 0.5],
  ['许', 0.47],
  ['韩', 0.45],
  ['冯', 0.44],
  ['邓', 0.43],
  ['曹', 0.41],
  ['彭', 0.4],
  ['曾', 0.39],
  ['沈', 0.35],
  ['叶', 0.33],
  ['蒋', 0.32],
  ['袁', 0.3],
  ['蔡', 0.3],
  ['潘', 0.3],
  ['杜', 0.29],
  ['程', 0.28],
  ['魏', 0.27],
  ['苏', 0.26],
  ['吕', 0.25],
  ['丁', 0.25],
  ['任', 0.24],
  ['姚', 0.22],
  ['陆', 0.2],
  ['欧阳', 0.04],
]

type Era = 'pre1960' | 'y1960' | 'y1980' | 'y2000'

const GIVEN: Record<Era, { readonly M: readonly string[]; readonly F: readonly string[] }> = {
  pre1960: {
    M: [
      '建国',
      '建华',
      '国强',
      '国庆',
      '志强',
      '德明',
      '保国',
      '振华',
      '文忠',
      '福生',
      '金山',
      '永康',
      '长林',
      '学军',
      '卫东',
    ],
    F: [
      '秀英',
      '桂英',
      '玉兰',
      '淑珍',
      '凤英',
      '秀兰',
      '桂兰',
      '素芬',
      '美华',
      '月娥',
      '玉珍',
      '宝珍',
      '惠芳',
      '彩霞',
    ],
  },
  y1960: {
    M: [
      '伟',
      '勇',
      '军',
      '强',
      '斌',
      '建军',
      '志刚',
      '海涛',
      '卫国',
      '明',
      '立新',
      '红兵',
      '国华',
      '永刚',
      '建平',
    ],
    F: [
      '丽',
      '敏',
      '静',
      '芳',
      '红',
      '燕',
      '霞',
      '萍',
      '丽华',
      '春梅',
      '海燕',
      '晓红',
      '爱华',
      '玉梅',
      '秀珍',
    ],
  },
  y1980: {
    M: ['磊', '鹏', '涛', '浩', '超', '杰', '俊', '鑫', '晨', '宇', '亮', '俊杰', '文博', '家豪', '志远'],
    F: ['婷', '娜', '丹', '倩', '璐', '洁', '雪', '颖', '婷婷', '晶晶', '佳', '思琪', '雨欣', '梦瑶', '晓雯'],
  },
  y2000: {
    M: [
      '梓轩',
      '浩宇',
      '宇轩',
      '子墨',
      '一鸣',
      '俊熙',
      '浩然',
      '睿泽',
      '沐阳',
      '梓睿',
      '奕辰',
      '皓轩',
      '宇航',
      '子轩',
    ],
    F: [
      '欣怡',
      '梓涵',
      '雨桐',
      '一诺',
      '思彤',
      '可馨',
      '语嫣',
      '子涵',
      '诗涵',
      '梦琪',
      '若汐',
      '佳怡',
      '芷若',
      '雨萱',
    ],
  },
}

function eraOf(birthYear: number): Era {
  if (birthYear < 1960) return 'pre1960'
  if (birthYear < 1980) return 'y1960'
  if (birthYear < 2000) return 'y1980'
  return 'y2000'
}

/** A surname, by frequency. */
export function pickSurname(rng: Rng): string {
  return rng.weighted(SURNAMES)
}

/** A given name in the fashion of the birth year, for the gender. */
export function pickGivenName(rng: Rng, gender: 'M' | 'F', birthYear: number): string {
  return rng.pick(GIVEN[eraOf(birthYear)][gender])
}

/** Every surname the generator can produce (for tests and validation). */
export const KNOWN_SURNAMES: ReadonlySet<string> = new Set(SURNAMES.map(([s]) => s))
