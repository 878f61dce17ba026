/**
 * Tokens for retrieval in Chinese and English: `Intl.Segmenter` word segmentation (Node's full ICU has a Chinese
 * dictionary), lower-cased, with question words and particles dropped, plus character bigrams inside each run of
 * Chinese characters — segmentation splits domain words unevenly (维保 → 维|保, 物业费 → 物业|费), and bigrams
 * make "电梯维保" and "电梯的维护保养" still share terms. English words are reduced by a light plural/suffix rule.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })
const HAN = /\p{Script=Han}/u

/** Words that say nothing about the topic of a question. */
const STOP = new Set([
  // zh
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '是',
  '在',
  '我',
  '我们',
  '你',
  '你们',
  '请问',
  '请',
  '怎么',
  '怎样',
  '如何',
  '什么',
  '哪里',
  '哪儿',
  '多少',
  '几',
  '有',
  '没有',
  '要',
  '能',
  '可以',
  '一下',
  '和',
  '与',
  '或',
  '及',
  '这',
  '那',
  '个',
  '么',
  '什么时候',
  '怎么样',
  '我家',
  '我的',
  '咱们',
  '现在',
  '目前',
  '还',
  '就',
  '都',
  '也',
  '对',
  '给',
  '让',
  '被',
  '把',
  '从',
  '到',
  '会',
  '想',
  '知道',
  '告诉',
  // en
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'be',
  'do',
  'does',
  'did',
  'i',
  'me',
  'my',
  'we',
  'our',
  'you',
  'your',
  'what',
  'when',
  'where',
  'which',
  'who',
  'how',
  'why',
  'can',
  'could',
  'should',
  'would',
  'will',
  'to',
  'of',
  'in',
  'on',
  'at',
  'for',
  'and',
  'or',
  'it',
  'its',
  'this',
  'that',
  'there',
  'please',
  'tell',
  'about',
  'with',
  'any',
  'much',
  'many',
  'here',
  'from',
  'by',
  'as',
  'if',
  'get',
  'have',
  'has',
  'am',
  'us',
  'know',
])

/** Light English stemming: plurals and a few suffixes, enough for "bills"/"bill", "repairs"/"repair". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (word.length > 4 && word.endsWith('ing')) return word.slice(0, -3)
  if (word.length > 3 && word.endsWith('ed')) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}

/** Whether a text contains Chinese characters (the assistant then answers in Chinese). */
export function hasChinese(text: string): boolean {
  return HAN.test(text)
}

/**
 * The retrieval terms of a text: segmented words (no stop words) and the character bigrams of each run of
 * adjacent Chinese words that are not stop words.
 */
export function tokenize(text: string): string[] {
  const lower = text.normalize('NFKC').toLowerCase()
  const out: string[] = []
  let run = ''
  const flush = () => {
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2)
      // A bigram that is also a word of the run is already counted once.
      if (!out.includes(bigram)) out.push(bigram)
    }
    run = ''
  }
  for (const { segment, isWordLike } of segmenter.segment(lower)) {
    if (!isWordLike || STOP.has(segment)) {
      flush()
      continue
    }
    if (HAN.test(segment)) {
      out.push(segment)
      run += segment
    } else {
      flush()
      out.push(stem(segment))
    }
  }
  flush()
  return out
}
