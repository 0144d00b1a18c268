// What a delivery receipt of PullSmsSendStatusByPhoneNumber means, in plain words, for the CLI's
// `status`. Origin: Tencent Cloud SMS API 2021-01-11, PullSmsSendStatusByPhoneNumber and
// PullSmsSendStatus (tencentcloud.com document/api/382/40518 and 382/40519: ReportStatus
// SUCCESS or FAIL, Description the carrier's report, "DELIVRD" when delivered); the report values
// are the status words carriers pass through (the `Stat` of China Mobile's CMPP status reports,
// SMPP 3.4's message states). Node only: none of this is in the wasm.

/** Report words and what they mean for the operator: [meaning, what to do]. */
const REPORTS = {
  DELIVRD: ['delivered to the phone', ''],
  EXPIRED: ['not delivered in time: the phone was off or out of coverage for too long', 'ask the user to check the phone is on and has signal, then send again'],
  UNDELIV: ['undeliverable: the carrier could not reach this number (suspended, out of service or not a mobile number)', 'ask the user to check the number'],
  REJECTD: ['rejected by the carrier (often a spam filter or a blocked sender)', 'check the template and signature with Tencent Cloud support, giving the SerialNo'],
  DELETED: ['deleted by the carrier before delivery', 'send again; if it repeats, contact Tencent Cloud support with the SerialNo'],
  UNKNOWN: ['the carrier reported no definite outcome', 'wait a few minutes and check again'],
  ACCEPTD: ['accepted by the carrier, not yet delivered', 'wait a few minutes and check again'],
  ENROUTE: ['on its way', 'wait a few minutes and check again'],
};

/** `{ delivered, meaning, advice }` for one PullSmsSendStatus entry. */
export const receiptMeaning = ({ ReportStatus, Description }) => {
  const word = String(Description ?? '').trim().toUpperCase();
  const known = Object.hasOwn(REPORTS, word) ? REPORTS[word] : undefined;
  if (ReportStatus === 'SUCCESS') {
    return { delivered: true, meaning: 'delivered to the phone', advice: '' };
  }
  if (known) {
    return { delivered: false, meaning: known[0], advice: known[1] };
  }
  return {
    delivered: false,
    meaning: `not delivered: the carrier reported "${String(Description ?? '').slice(0, 60)}"`,
    advice: 'look the code up in the SMS console\'s delivery records, or ask Tencent Cloud support with the SerialNo',
  };
};
