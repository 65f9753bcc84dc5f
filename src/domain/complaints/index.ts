export {
  complaintDeadlines,
  addBusinessDays,
  COMPLAINT_SLAS,
  type ComplaintSla,
  type ComplaintDeadline,
  type SlaStep,
} from './sla.js';
