/**
 * Returns: return requests within each market's window, automatic approval by policy, receiving
 * and inspection (restock or write off), refunds to the original payment or as store credit.
 * @example const ret = await createReturn(tx, request)
 */
export { RETURN_REASONS, RETURN_STATUSES, type ReturnReason, type ReturnStatus } from "./returns.schema.ts";
export {
  addStoreCredit,
  approveReturn,
  createReturn,
  getPolicy,
  getReturn,
  listReturns,
  lockReturn,
  markReturnRefunded,
  type ReturnPolicy,
  type ReturnRequest,
  type ReturnRow,
  receiveReturn,
  rejectReturn,
  returnsOfOrder,
  setPolicy,
  storeCreditBalance,
} from "./returns.service.ts";
