export {
  postPayment,
  reversePayment,
  listPayments,
  type PaymentRequest,
  type PaymentResult,
  type Posted,
} from './payments.js';
