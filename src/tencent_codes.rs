//! Tencent's error codes and what each means here: the Logto code, whether the SMS may have gone
//! out, whether a retry is safe, and what the operator should do. This table is the one source;
//! the tests drive every code Tencent declares (`tests/fixtures/tencent-error-codes.json`)
//! through it and check the operator guide's troubleshooting list against it.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::Serialize;

use crate::error::{Delivery, ErrorCode};

/// A failure that may be retried safely because Tencent rejected the request before processing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Retryable {
    /// Our clock is off: re-sign with Tencent's time and send again once.
    SignatureExpired,
    /// Tencent's API rate limit: back off and send again.
    RateLimited,
}

/// Tencent's verdict on one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Judgement {
    pub logto: ErrorCode,
    /// `None`: Tencent refused the request before sending anything, definitely.
    pub delivery: Option<Delivery>,
    pub retry: Option<Retryable>,
    pub advice: &'static str,
}

/// Which codes a row covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    Exact(&'static [&'static str]),
    /// The bare family code and every `Family.*` code no exact row names.
    Family(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub codes: Codes,
    pub judgement: Judgement,
}

use Codes::{Exact, Family};
use ErrorCode::{
    General, InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};

const fn definite(logto: ErrorCode, advice: &'static str) -> Judgement {
    Judgement {
        logto,
        delivery: None,
        retry: None,
        advice,
    }
}

const fn unknown(advice: &'static str) -> Judgement {
    Judgement {
        logto: General,
        delivery: Some(Delivery::Unknown),
        retry: None,
        advice,
    }
}

const INTERNAL_ERROR: &str = "Tencent failed internally; the SMS may or may not have been sent, so check the SMS console's delivery records before sending again.";
const CLOCK: &str = "The clock of this server differs from Tencent's (by more than 5 minutes; over 10 for InternalError.RequestTimeException): synchronise it (NTP).";
const API_KEY: &str = "The API key was refused: check accessKeyId and accessKeySecret (copy both again from the CAM console's API keys page, without spaces).";
const CAM_POLICY: &str = "The API key may not call SMS: attach the QcloudSMSFullAccess policy (or SendSms permission) to its CAM user.";
const ENDPOINT: &str = "This host does not serve Tencent Cloud SMS's SendSms: set endpoint to sms.tencentcloudapi.com (China site) or sms.intl.tencentcloudapi.com (international site), or leave it out.";
const CONNECTOR_REQUEST: &str = "Tencent could not read the request the connector built: a connector bug or a proxy that changed the request. Report it with the RequestId.";
const OTHER_REFUSAL: &str = "Tencent refused the message without naming the cause: contact Tencent Cloud SMS support with the RequestId and the number.";
const SIGNATURE: &str = "signName is not an approved signature of this SDK app: copy it exactly from the SMS console, without the 【】 brackets (international numbers need an approved internationalSignName).";
const TEMPLATE: &str = "The templateCode for this message type is not an approved template of this SDK app: check templates in the SMS console.";
const SDK_APP: &str =
    "Check sdkAppId: it must be an enabled SmsSdkAppId (1400…) of the same account as the API key.";
const SENSITIVE: &str =
    "The message text contains words Tencent blocks: check the template and templateParams values.";
const MARKETING: &str =
    "This is a marketing template: use an approved verification-code template for sign-in codes.";
const PER_NUMBER: &str = "This number has received too many messages: ask the user to wait before requesting another code (limits are set under SMS console → frequency limits).";
const QUOTA: &str = "The account's SMS quota or balance is used up: buy an SMS package, settle arrears or raise the application's daily limit in the SMS console.";
const PHONE: &str = "Tencent does not accept this phone number: ask the user to check it.";

/// Exact rows first, then families; a code in neither gets [`FALLBACK`].
#[rustfmt::skip]
pub static TABLE: &[Row] = &[
    // Request signing and the API key.
    Row { codes: Exact(&["AuthFailure.SignatureExpire", "InternalError.RequestTimeException"]), judgement: Judgement { logto: General, delivery: None, retry: Some(Retryable::SignatureExpired), advice: CLOCK } },
    Row { codes: Exact(&["AuthFailure.SignatureFailure", "InternalError.SigVerificationFail"]), judgement: definite(InvalidConfig, "The signature does not match: check that accessKeySecret is the SecretKey of accessKeyId, without spaces.") },
    Row { codes: Exact(&["AuthFailure.SecretIdNotFound", "AuthFailure.InvalidSecretId"]), judgement: definite(InvalidConfig, "Tencent does not know this accessKeyId: copy the SecretId from the CAM console's API keys page, without spaces.") },
    Row { codes: Exact(&["AuthFailure.InvalidAuthorization"]), judgement: definite(InvalidConfig, "Tencent could not read the Authorization header: check that accessKeyId is a SecretId (AKID…) without spaces.") },
    Row { codes: Exact(&["AuthFailure.MFAFailure"]), judgement: definite(InvalidConfig, "The key's CAM user requires MFA for this call: use an API key of a CAM user without MFA protection for SMS.") },
    Row { codes: Exact(&["AuthFailure.TokenFailure"]), judgement: definite(InvalidConfig, "A temporary credential's token was refused: use a permanent API key (SecretId and SecretKey).") },
    Row { codes: Exact(&["AuthFailure.UnauthorizedOperation", "UnauthorizedOperation", "UnauthorizedOperation.RequestPermissionDeny"]), judgement: definite(InvalidConfig, CAM_POLICY) },
    Row { codes: Exact(&["UnauthorizedOperation.RequestIpNotInWhitelist"]), judgement: definite(InvalidConfig, "This server's IP address is not in the SMS application's IP whitelist: add it in the SMS console or remove the whitelist.") },
    Row { codes: Exact(&["IpNotInWhitelist"]), judgement: definite(InvalidConfig, "This server's IP address is not in the API key's IP allowlist: add it to the key's access restrictions in CAM, or use another key.") },
    Row { codes: Exact(&["IpInBlacklist"]), judgement: definite(InvalidConfig, "Tencent Cloud blocks this server's IP address: send from another address or contact Tencent Cloud support with the RequestId.") },
    // Where the request went.
    Row { codes: Exact(&["UnsupportedRegion"]), judgement: definite(InvalidConfig, "Tencent Cloud SMS does not serve this region: set region to ap-guangzhou, ap-beijing or ap-nanjing (China site) or ap-singapore (international site).") },
    Row { codes: Exact(&["NoSuchProduct", "InvalidAction", "NoSuchVersion", "InternalError.RestApiInterfaceNotExist", "UnsupportedProtocol"]), judgement: definite(InvalidConfig, ENDPOINT) },
    Row { codes: Exact(&["ActionOffline"]), judgement: definite(General, "Tencent has retired SendSms 2021-01-11: update the connector.") },
    // The SMS application, signature and templates.
    Row { codes: Exact(&["InvalidParameterValue.SdkAppIdNotExist", "UnauthorizedOperation.SmsSdkAppIdVerifyFail", "UnauthorizedOperation.SdkAppIdIsDisabled", "InvalidParameter.AppidAndBizId"]), judgement: definite(InvalidConfig, SDK_APP) },
    Row { codes: Exact(&["FailedOperation.SignatureIncorrectOrUnapproved", "FailedOperation.MissingSignatureList"]), judgement: definite(InvalidConfig, SIGNATURE) },
    Row { codes: Exact(&["InvalidParameterValue.SignNameLengthTooLong"]), judgement: definite(InvalidConfig, "signName (or internationalSignName) is too long: Tencent's signatures have 2 to 12 characters; copy the approved one without 【】.") },
    Row { codes: Exact(&["FailedOperation.TemplateIncorrectOrUnapproved", "FailedOperation.TemplateUnapprovedOrNotExist", "FailedOperation.MissingTemplateList", "FailedOperation.TemplateIdNotExist"]), judgement: definite(InvalidConfig, TEMPLATE) },
    Row { codes: Exact(&["FailedOperation.TemplateParamSetNotMatchApprovedTemplate"]), judgement: definite(InvalidConfig, "The number of values sent differs from the approved template's placeholders ({1}, {2}, …): set this template's templateParams (or internationalTemplateParams) to one value per placeholder, e.g. [\"{code}\", \"10\"].") },
    Row { codes: Exact(&["InvalidParameterValue.TemplateParameterFormatError"]), judgement: definite(InvalidConfig, "A template value breaks Tencent's variable rules (a verification-code template takes only 0-6 digits per placeholder): check this template's templateParams (or internationalTemplateParams).") },
    Row { codes: Exact(&["InvalidParameterValue.TemplateParameterLengthLimit"]), judgement: definite(InvalidConfig, "A template value is longer than this account allows per variable (6 characters for accounts opened after 2024-01-25 or long unused, 12 before; the SMS console shows yours): shorten this template's templateParams.") },
    Row { codes: Exact(&["InvalidParameterValue.ProhibitedUseUrlInTemplateParameter"]), judgement: definite(InvalidConfig, "Tencent refuses links in template variables: put the link in the approved template text, not in templateParams.") },
    Row { codes: Exact(&["InvalidParameterValue.ContentLengthLimit"]), judgement: definite(InvalidConfig, "The message is longer than Tencent allows: shorten the template or its templateParams values.") },
    Row { codes: Exact(&["FailedOperation.ContainSensitiveWord", "InvalidParameter.DirtyWordFound"]), judgement: definite(InvalidConfig, SENSITIVE) },
    Row { codes: Exact(&["FailedOperation.MarketingSendTimeConstraint", "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny"]), judgement: definite(InvalidConfig, MARKETING) },
    Row { codes: Exact(&["LimitExceeded.AppCountryOrRegionInBlacklist"]), judgement: definite(InvalidConfig, "The SMS application may not send to this country or region: allow it under SMS console → Application management → basic settings (international/HK, Macao, Taiwan SMS restrictions).") },
    // This phone number.
    Row { codes: Exact(&["InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberParseFail"]), judgement: definite(InvalidRequestParameters, PHONE) },
    Row { codes: Exact(&["FailedOperation.PhoneNumberInBlacklist"]), judgement: definite(InvalidRequestParameters, "This number is blocked (the user may have unsubscribed by replying TD): it cannot receive SMS.") },
    Row { codes: Exact(&["UnsupportedOperation.UnsupportedRegion"]), judgement: definite(InvalidRequestParameters, "Tencent Cloud SMS does not deliver to this country or region.") },
    Row { codes: Exact(&["UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone"]), judgement: definite(InvalidRequestParameters, "A mainland China template cannot be sent to a number outside mainland China: add internationalTemplateCode to this template (and internationalSignName to the config if your international template needs a signature).") },
    Row { codes: Exact(&["UnsupportedOperation.GlobalTemplateToChineseMainlandPhone"]), judgement: definite(InvalidRequestParameters, "An international template cannot be sent to a +86 number: set templateCode to an approved mainland template and keep the international one in internationalTemplateCode.") },
    // Limits.
    Row { codes: Exact(&["LimitExceeded.PhoneNumberThirtySecondLimit", "LimitExceeded.PhoneNumberOneHourLimit", "LimitExceeded.PhoneNumberDailyLimit", "LimitExceeded.PhoneNumberSameContentDailyLimit", "LimitExceeded.DeliveryFrequencyLimit"]), judgement: definite(RateLimitExceeded, PER_NUMBER) },
    Row { codes: Exact(&["LimitExceeded.GlobalSmsSendingRateLimit"]), judgement: definite(RateLimitExceeded, "Tencent's sending rate for international SMS was reached: try again shortly.") },
    Row { codes: Exact(&["LimitExceeded.AppDailyLimit", "LimitExceeded.AppMainlandChinaDailyLimit", "LimitExceeded.AppGlobalDailyLimit", "LimitExceeded.AppCountryOrRegionDailyLimit", "LimitExceeded.DailyLimit", "FailedOperation.InsufficientBalanceInSmsPackage", "UnauthorizedOperation.ServiceSuspendDueToArrears", "LimitExceeded"]), judgement: definite(UsageLimitExceeded, QUOTA) },
    Row { codes: Family("RequestLimitExceeded"), judgement: Judgement { logto: RateLimitExceeded, delivery: None, retry: Some(Retryable::RateLimited), advice: "Tencent's API rate limit was reached: try again shortly." } },
    // The request itself.
    Row { codes: Exact(&["FailedOperation.FailResolvePacket", "FailedOperation.JsonParseFail", "InternalError.JsonParseFail", "InternalError.SigFieldMissing", "InvalidParameter", "InvalidParameter.InvalidParameters", "InvalidParameterValue", "MissingParameter", "UnknownParameter", "InvalidRequest"]), judgement: definite(General, CONNECTOR_REQUEST) },
    Row { codes: Exact(&["FailedOperation", "FailedOperation.OtherError", "FailedOperation.ParametersOtherError", "UnsupportedOperation"]), judgement: definite(General, OTHER_REFUSAL) },
    Row { codes: Exact(&["ResourceNotFound", "ResourceUnavailable", "ResourceInUse", "ResourceInsufficient"]), judgement: definite(General, "Tencent Cloud SMS is not available to this account (not activated, or a resource it needs is missing or busy): check the SMS console, or contact Tencent support with the RequestId.") },
    // Outcome unknown: never sent again automatically.
    Row { codes: Exact(&["InternalError.ParseBackendResponseFail", "InternalError.SendAndRecvFail", "InternalError.Timeout"]), judgement: unknown("Tencent lost track of the carrier's answer; the SMS may or may not have been sent, so check the SMS console's delivery records before sending again.") },
    Row { codes: Exact(&["ServiceUnavailable"]), judgement: unknown(INTERNAL_ERROR) },
    Row { codes: Family("AuthFailure"), judgement: definite(InvalidConfig, API_KEY) },
    Row { codes: Family("InternalError"), judgement: unknown(INTERNAL_ERROR) },
];

/// A code nothing above names, e.g. one Tencent adds later: refused, outcome as Tencent said.
pub const FALLBACK: Judgement = definite(
    General,
    "See Tencent Cloud SMS's error code reference for this code.",
);

/// How to read `code`, an answer's `Error.Code` or a `SendStatusSet` entry's `Code`.
pub fn judge(code: &str) -> Judgement {
    let exact = TABLE.iter().find_map(|row| match row.codes {
        Exact(codes) => codes.contains(&code).then_some(row.judgement),
        Family(_) => None,
    });
    exact
        .or_else(|| {
            let family = code.split('.').next().unwrap_or(code);
            TABLE.iter().find_map(|row| match row.codes {
                Family(name) => (name == family).then_some(row.judgement),
                Exact(_) => None,
            })
        })
        .unwrap_or(FALLBACK)
}

/// Codes Tencent declares (for the SMS product, or for every API) that a SendSms call as this
/// connector makes it never gets, and why. Listed so the declared-code test can tell them from
/// a forgotten code. Unused by the connector itself, so it costs the wasm nothing.
pub const NOT_FOR_SEND_SMS: &[(&str, &str)] = &[
    ("DryRunOperation", "the connector never sends DryRun"),
    ("RequestSizeLimitExceeded", "a SendSms body is a few KiB at most (one number, bounded templateParams) against Tencent's 10 MB cap"),
    ("ResponseSizeLimitExceeded", "a SendSms answer for one number is under 1 KiB"),
    ("LimitExceeded.PhoneNumberCountLimit", "every request carries exactly one number (the cap is 200)"),
    ("MissingParameter.EmptyPhoneNumberSet", "every request carries exactly one number"),
    ("UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber", "every request carries exactly one number"),
    ("UnsupportedOperation.ContainDomesticPhoneNumber", "raised by international-only SMS actions, not SendSms"),
    ("InvalidParameterValue.MultiSmsInfoSetEmpty", "MultiSmsInfoSet belongs to another action; SendSms has no such field"),
    ("FailedOperation.ForbidAddMarketingTemplates", "template management (AddSmsTemplate)"),
    ("FailedOperation.MissingSignature", "template management: applying for a template before any signature"),
    ("FailedOperation.MissingSignatureToModify", "signature management (ModifySmsSign)"),
    ("FailedOperation.MissingTemplateToModify", "template management (ModifySmsTemplate)"),
    ("FailedOperation.NotEnterpriseCertification", "signature and template management"),
    ("FailedOperation.ProhibitSubAccountUse", "listing templates (DescribeSmsTemplateList)"),
    ("FailedOperation.QualificationIdNotApproved", "signature management (qualification IDs)"),
    ("FailedOperation.SignIdNotExist", "signature management by SignId; SendSms takes the signature's text"),
    ("FailedOperation.SignNumberLimit", "signature management (AddSmsSign)"),
    ("FailedOperation.TemplateAlreadyPassedCheck", "template management (ModifySmsTemplate)"),
    ("FailedOperation.TemplateNumberLimit", "template management (AddSmsTemplate)"),
    ("InvalidParameterValue.BeginTimeVerifyFail", "statistics and status-pull actions (BeginTime)"),
    ("InvalidParameterValue.EndTimeVerifyFail", "statistics and status-pull actions (EndTime)"),
    ("InvalidParameterValue.ImageInvalid", "signature management (proof images)"),
    ("InvalidParameterValue.InvalidDocumentType", "signature management (DocumentType)"),
    ("InvalidParameterValue.InvalidInternational", "signature and template management (International)"),
    ("InvalidParameterValue.InvalidSignPurpose", "signature management (SignPurpose)"),
    ("InvalidParameterValue.InvalidSmsType", "template management (SmsType)"),
    ("InvalidParameterValue.InvalidStartTime", "status-pull actions (SendDateTime)"),
    ("InvalidParameterValue.InvalidTemplateFormat", "template management (template text)"),
    ("InvalidParameterValue.InvalidUsedMethod", "signature management (UsedMethod)"),
    ("InvalidParameterValue.LimitVerifyFail", "list actions (Limit)"),
    ("InvalidParameterValue.MarketingTemplateWithoutUnsubscribe", "template management (marketing template text)"),
    ("InvalidParameterValue.OffsetVerifyFail", "list actions (Offset)"),
    ("InvalidParameterValue.QualificationIdNotFound", "signature management (qualification IDs)"),
    ("InvalidParameterValue.SignAlreadyPassedCheck", "signature management (ModifySmsSign)"),
    ("InvalidParameterValue.SignExistAndUnapproved", "signature management (AddSmsSign)"),
    ("InvalidParameterValue.TemplateWithDirtyWords", "template management (template text)"),
    ("InvalidParameterValue.UnsupportedTemplateVariable", "template management (notification and marketing templates)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_code_is_in_two_exact_rows_and_families_are_named_once() {
        let mut seen = std::collections::BTreeSet::new();
        for row in TABLE {
            let names: Vec<&str> = match row.codes {
                Exact(codes) => codes.to_vec(),
                Family(name) => vec![name],
            };
            for name in names {
                assert!(seen.insert(name), "{name} is in two rows");
            }
        }
    }

    #[test]
    fn families_cover_codes_tencent_may_add() {
        assert_eq!(
            judge("RequestLimitExceeded.Something").retry,
            Some(Retryable::RateLimited)
        );
        assert_eq!(judge("InternalError.New").delivery, Some(Delivery::Unknown));
        assert_eq!(judge("AuthFailure.New").logto, InvalidConfig);
        assert_eq!(judge("Something.New"), FALLBACK);
    }

    #[test]
    fn outcome_unknown_only_where_tencent_may_have_sent() {
        for row in TABLE {
            let judgement = row.judgement;
            if judgement.delivery.is_some() {
                assert_eq!(judgement.logto, General, "{row:?}");
                assert_eq!(
                    judgement.retry, None,
                    "never resend after an unknown outcome: {row:?}"
                );
            }
        }
    }
}
