/**
 * What a question is about, by rules over its words in Chinese and English. Questions about the asker's own
 * records ("my bill", "my repair") need a personal marker (我/我的/我家, my, I owe) as well as the topic, so "how
 * do I pay the property fee" stays a general question. Anything not matched is answered by retrieval.
 */

export type Intent =
  'my_bill' | 'my_repair' | 'fee_standard' | 'parking_fee' | 'elevator_maintenance' | 'general'

const PERSONAL = /我|咱家|\bmy\b|\bi\b|\bmine\b|\bme\b/i
const BILL =
  /账单|欠费|欠了?多少|还欠|应缴|待缴|未缴|缴费记录|\bbills?\b|\barrears\b|\bowe\b|\boutstanding\b|\bbalance\b/i
const REPAIR = /报修|维修|修理|工单|\brepairs?\b|\bwork orders?\b|\bfix(ed|ing)?\b/i
const STATUS =
  /进度|状态|怎么样|到哪|什么时候|处理|有人|结果|\bstatus\b|\bprogress\b|\bwhen\b|\bupdate\b|\bhappen|\bdone\b/i
const FEE_STANDARD =
  /收费标准|单价|一平|每平|平方米?多少|物业费.*(多少钱|标准|价格)|\bfee standards?\b|\brates?\b|\bprice per\b|\bper square\b|\bhow much is the property fee\b/i
const PARKING_FEE =
  /停车.*(收费|费用|多少钱|价格|标准|免费)|停车费|\bparking\b.*\b(fee|cost|charge|tariff|price|rate|free)|\b(fee|cost|charge|tariff|price)\b.*\bparking\b/i
const ELEVATOR = /电梯|\belevators?\b|\blifts?\b/i
const MAINTENANCE = /维保|保养|维护|检修|停运|\bmaint|\bservic|\binspect/i

/** The intent of a question. */
export function intentOf(question: string): Intent {
  const personal = PERSONAL.test(question)
  if (personal && BILL.test(question)) return 'my_bill'
  if (personal && REPAIR.test(question) && STATUS.test(question)) return 'my_repair'
  if (PARKING_FEE.test(question)) return 'parking_fee'
  if (ELEVATOR.test(question) && MAINTENANCE.test(question)) return 'elevator_maintenance'
  if (FEE_STANDARD.test(question)) return 'fee_standard'
  return 'general'
}
