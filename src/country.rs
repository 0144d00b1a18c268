//! The country or region of a phone number, from its calling code.
//!
//! Origin: ITU-T E.164 assigned country codes ("List of ITU-T Recommendation E.164 assigned
//! country codes", Annex to ITU Operational Bulletin, status of 2024) for the calling codes; NANPA's
//! area code assignments (nationalnanpa.com, Canadian and Caribbean/Pacific codes, 2025) for +1;
//! for codes several territories share, the number ranges of Google libphonenumber's metadata
//! (google-libphonenumber 3.2.47, cross-checked 2026-12-02), which also confirmed every calling
//! code's main assignee and every NANP territory area code here.
//!
//! Choices: a shared code belongs to its main assignee unless a sub-range below says otherwise:
//! +7 RU (KZ: +76, +77), +39 IT (VA: +39 06698), +44 GB (GG, JE, IM: their fixed-line
//! ranges; their mobiles share GB's +447 and count as GB), +47 NO (SJ: +47 79), +61 AU (CX,
//! CC: +61 89164, +61 89162), +262 RE (YT), +590 GP (BL and MF share GP's ranges and cannot be told apart), +599 CW (BQ: +599 3, 4, 7), +212 MA
//! (EH: +212 5288, 5289), +358 FI (AX: +358 18), +290 and +247 SH (ISO has no code of its own for
//! Ascension or Tristan da Cunha), +383 XK (Kosovo: user-assigned, as CLDR and libphonenumber
//! use). A +1 number whose area code is not Canadian or a territory's is US. Global services
//! (+800, +808, +870, +878, +881, +882, +883, +888, +979) belong to no country.

#[allow(unused_imports)]
use crate::prelude::*;

/// One row per calling code or sub-range: its digits, then the ISO 3166-1 alpha-2 code; rows
/// sorted as bytes. A number's country is the row of its longest matching prefix. Plain text is
/// the smallest form in the wasm, and scanning it costs a send a few microseconds.
#[rustfmt::skip]
pub(crate) const TABLE: &str = concat!(
    "1US", "1204CA", "1226CA", "1236CA", "1242BS", "1246BB", "1249CA", "1250CA", "1257CA", "1263CA",
    "1264AI", "1268AG", "1273CA", "1284VG", "1289CA", "1306CA", "1340VI", "1343CA", "1345KY", "1354CA",
    "1365CA", "1367CA", "1368CA", "1382CA", "1387CA", "1403CA", "1416CA", "1418CA", "1428CA", "1431CA",
    "1437CA", "1438CA", "1441BM", "1450CA", "1460CA", "1468CA", "1473GD", "1474CA", "1506CA", "1514CA",
    "1519CA", "1548CA", "1579CA", "1581CA", "1584CA", "1587CA", "1600CA", "1604CA", "1613CA", "1622CA",
    "1633CA", "1639CA", "1647CA", "1649TC", "1658JM", "1664MS", "1670MP", "1671GU", "1672CA", "1683CA",
    "1684AS", "1705CA", "1709CA", "1721SX", "1742CA", "1753CA", "1758LC", "1767DM", "1778CA", "1780CA",
    "1782CA", "1784VC", "1787PR", "1807CA", "1809DO", "1819CA", "1825CA", "1829DO", "1849DO", "1867CA",
    "1868TT", "1869KN", "1873CA", "1876JM", "1879CA", "1902CA", "1905CA", "1939PR", "1942CA", "20EG",
    "211SS", "212MA", "2125288EH", "2125289EH", "213DZ", "216TN", "218LY", "220GM", "221SN", "222MR",
    "223ML", "224GN", "225CI", "226BF", "227NE", "228TG", "229BJ", "230MU", "231LR", "232SL",
    "233GH", "234NG", "235TD", "236CF", "237CM", "238CV", "239ST", "240GQ", "241GA", "242CG",
    "243CD", "244AO", "245GW", "246IO", "247SH", "248SC", "249SD", "250RW", "251ET", "252SO",
    "253DJ", "254KE", "255TZ", "256UG", "257BI", "258MZ", "260ZM", "261MG", "262RE", "2622689YT",
    "262269YT", "262639YT", "263ZW", "264NA", "265MW", "266LS", "267BW", "268SZ", "269KM", "27ZA",
    "290SH", "291ER", "297AW", "298FO", "299GL", "30GR", "31NL", "32BE", "33FR", "34ES",
    "350GI", "351PT", "352LU", "353IE", "354IS", "355AL", "356MT", "357CY", "358FI", "35818AX",
    "359BG", "36HU", "370LT", "371LV", "372EE", "373MD", "374AM", "375BY", "376AD", "377MC",
    "378SM", "379VA", "380UA", "381RS", "382ME", "383XK", "385HR", "386SI", "387BA", "389MK",
    "39IT", "3906698VA", "40RO", "41CH", "420CZ", "421SK", "423LI", "43AT", "44GB", "441481GG",
    "441534JE", "441624IM", "45DK", "46SE", "47NO",
    "4779SJ", "48PL", "49DE", "500FK", "501BZ", "502GT", "503SV", "504HN", "505NI", "506CR",
    "507PA", "508PM", "509HT", "51PE", "52MX", "53CU", "54AR", "55BR", "56CL", "57CO",
    "58VE", "590GP", "591BO", "592GY", "593EC", "594GF", "595PY", "596MQ", "597SR", "598UY",
    "599CW", "5993BQ", "5994BQ", "5997BQ", "60MY", "61AU", "6189162CC", "6189164CX", "62ID", "63PH",
    "64NZ", "65SG", "66TH", "670TL", "672NF", "673BN", "674NR", "675PG", "676TO", "677SB",
    "678VU", "679FJ", "680PW", "681WF", "682CK", "683NU", "685WS", "686KI", "687NC", "688TV",
    "689PF", "690TK", "691FM", "692MH", "7RU", "76KZ", "77KZ", "81JP", "82KR", "84VN",
    "850KP", "852HK", "853MO", "855KH", "856LA", "86CN", "880BD", "886TW", "90TR", "91IN",
    "92PK", "93AF", "94LK", "95MM", "960MV", "961LB", "962JO", "963SY", "964IQ", "965KW",
    "966SA", "967YE", "968OM", "970PS", "971AE", "972IL", "973BH", "974QA", "975BT", "976MN",
    "977NP", "98IR", "992TJ", "993TM", "994AZ", "995GE", "996KG", "998UZ",
);

/// The NANP gives every country its own area codes: a +1 number is identified by 1 + 3 digits.
const NANP_IDENTIFYING_DIGITS: usize = 4;

/// A number's country or region and how many of its digits say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub iso: [u8; 2],
    /// The calling code and, where it is shared, the sub-range or area code that identifies the
    /// country: 4 for every +1 number, 2 for +7 7…, 1 for +7 9….
    pub identified_by: usize,
}

impl Country {
    pub fn iso(&self) -> &str {
        core::str::from_utf8(&self.iso).unwrap_or("??")
    }
}

/// Every row as (digits, ISO code).
pub fn rows() -> impl Iterator<Item = (&'static str, [u8; 2])> {
    let mut rest = TABLE;
    core::iter::from_fn(move || {
        let length = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (digits, tail) = rest.split_at_checked(length)?;
        let [first, second, ..] = *tail.as_bytes() else {
            return None;
        };
        rest = tail.get(2..)?;
        Some((digits, [first, second]))
    })
}

/// The country of a number given as digits after `+`, or `None` for an unassigned or global
/// code. Non-digits end the prefix.
pub fn country_of(digits: &str) -> Option<Country> {
    if digits.starts_with('0') {
        return None;
    }
    let mut best: Option<(usize, [u8; 2])> = None;
    for (row, iso) in rows() {
        let longer = match best {
            Some((length, _)) => row.len() > length,
            None => true,
        };
        if longer && digits.starts_with(row) {
            best = Some((row.len(), iso));
        }
    }
    let (length, iso) = best?;
    let nanp = digits.starts_with('1') && digits.len() >= NANP_IDENTIFYING_DIGITS;
    Some(Country {
        iso,
        identified_by: if nanp {
            NANP_IDENTIFYING_DIGITS
        } else {
            length
        },
    })
}

/// Whether the table knows `iso` (upper case) as a country or region with numbers of its own.
pub fn is_known(iso: [u8; 2]) -> bool {
    rows().any(|(_, known)| known == iso)
}

/// The prefixes (digits) of `iso`'s rows: a main assignee's is its calling code, whose
/// sub-ranges other rows carve out.
pub fn prefixes_of(iso: [u8; 2]) -> impl Iterator<Item = &'static str> {
    rows()
        .filter(move |(_, known)| *known == iso)
        .map(|(digits, _)| digits)
}

/// Every row's prefix as digits, for analyses that need the table's boundaries.
pub fn row_prefixes() -> impl Iterator<Item = &'static str> {
    rows().map(|(digits, _)| digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ISO 3166-1 alpha-2, all 249 officially assigned codes (ISO Online Browsing Platform), and
    /// XK, which the table uses for Kosovo.
    const ISO_3166_1: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

    /// Every geographic code of the ITU-T E.164 list, with its main assignee; the oracle the
    /// table is checked against (global services are left out: they have no country).
    const ITU_CODES: &str = "1 US 7 RU 20 EG 27 ZA 30 GR 31 NL 32 BE 33 FR 34 ES 36 HU 39 IT 40 RO 41 CH 43 AT 44 GB 45 DK 46 SE 47 NO 48 PL 49 DE 51 PE 52 MX 53 CU 54 AR 55 BR 56 CL 57 CO 58 VE 60 MY 61 AU 62 ID 63 PH 64 NZ 65 SG 66 TH 81 JP 82 KR 84 VN 86 CN 90 TR 91 IN 92 PK 93 AF 94 LK 95 MM 98 IR 211 SS 212 MA 213 DZ 216 TN 218 LY 220 GM 221 SN 222 MR 223 ML 224 GN 225 CI 226 BF 227 NE 228 TG 229 BJ 230 MU 231 LR 232 SL 233 GH 234 NG 235 TD 236 CF 237 CM 238 CV 239 ST 240 GQ 241 GA 242 CG 243 CD 244 AO 245 GW 246 IO 247 SH 248 SC 249 SD 250 RW 251 ET 252 SO 253 DJ 254 KE 255 TZ 256 UG 257 BI 258 MZ 260 ZM 261 MG 262 RE 263 ZW 264 NA 265 MW 266 LS 267 BW 268 SZ 269 KM 290 SH 291 ER 297 AW 298 FO 299 GL 350 GI 351 PT 352 LU 353 IE 354 IS 355 AL 356 MT 357 CY 358 FI 359 BG 370 LT 371 LV 372 EE 373 MD 374 AM 375 BY 376 AD 377 MC 378 SM 379 VA 380 UA 381 RS 382 ME 383 XK 385 HR 386 SI 387 BA 389 MK 420 CZ 421 SK 423 LI 500 FK 501 BZ 502 GT 503 SV 504 HN 505 NI 506 CR 507 PA 508 PM 509 HT 590 GP 591 BO 592 GY 593 EC 594 GF 595 PY 596 MQ 597 SR 598 UY 599 CW 670 TL 672 NF 673 BN 674 NR 675 PG 676 TO 677 SB 678 VU 679 FJ 680 PW 681 WF 682 CK 683 NU 685 WS 686 KI 687 NC 688 TV 689 PF 690 TK 691 FM 692 MH 850 KP 852 HK 853 MO 855 KH 856 LA 880 BD 886 TW 960 MV 961 LB 962 JO 963 SY 964 IQ 965 KW 966 SA 967 YE 968 OM 970 PS 971 AE 972 IL 973 BH 974 QA 975 BT 976 MN 977 NP 992 TJ 993 TM 994 AZ 995 GE 996 KG 998 UZ";

    /// NANPA's area codes of the Caribbean and Pacific territories.
    const NANP_TERRITORIES: &str = "AG 268 AI 264 AS 684 BB 246 BM 441 BS 242 DM 767 DO 809 DO 829 DO 849 GD 473 GU 671 JM 876 JM 658 KN 869 KY 345 LC 758 MP 670 MS 664 PR 787 PR 939 SX 721 TC 649 TT 868 VC 784 VG 284 VI 340";

    fn iso(number: &str) -> Option<String> {
        country_of(number).map(|country| country.iso().to_owned())
    }

    fn pairs(list: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
        let words: Vec<&str> = list.split(' ').collect();
        (0..words.len() / 2).map(move |index| (words[2 * index], words[2 * index + 1]))
    }

    #[test]
    fn rows_are_sorted_unique_and_valid_iso_codes() {
        let parsed: String = rows()
            .map(|(digits, iso)| format!("{digits}{}", std::str::from_utf8(&iso).unwrap()))
            .collect();
        assert_eq!(parsed, TABLE, "every row reads back");
        let digits: Vec<&str> = rows().map(|(digits, _)| digits).collect();
        assert!(
            digits.windows(2).all(|pair| pair[0] < pair[1]),
            "sorted, no duplicates"
        );
        assert!(digits.iter().all(|row| row.len() <= 7));
        let iso: Vec<&str> = ISO_3166_1.split(' ').collect();
        assert_eq!(iso.len(), 250);
        for (prefix, code) in rows() {
            let code = std::str::from_utf8(&code).unwrap();
            assert!(iso.contains(&code), "{prefix}: {code}");
            assert!(
                !prefix.is_empty() && prefix.bytes().all(|byte| byte.is_ascii_digit()),
                "{prefix:?}"
            );
            assert!(!prefix.starts_with('0'));
            assert_eq!(iso_of(prefix), code, "each row is reachable");
        }
    }

    fn iso_of(prefix: &str) -> String {
        iso(&format!("{prefix}{}", "5".repeat(15 - prefix.len()))).unwrap()
    }

    #[test]
    fn every_assigned_calling_code_resolves_to_its_main_assignee() {
        let mut codes = 0;
        for (code, main) in pairs(ITU_CODES) {
            codes += 1;
            // A subscriber number that falls in no sub-range of a shared code.
            let number = format!(
                "{code}{}",
                if code == "1" { "2125550123" } else { "9000000" }
            );
            assert_eq!(iso(&number).as_deref(), Some(main), "+{code}");
        }
        assert_eq!(codes, 207);
        // The table has no calling code the ITU list lacks (rows of 1-3 digits that are not a
        // sub-range of a shorter row).
        for (text, _) in rows() {
            let is_sub_range =
                (1..text.len()).any(|cut| rows().any(|(other, _)| other == &text[..cut]));
            if !is_sub_range {
                assert!(pairs(ITU_CODES).any(|(code, _)| code == text), "+{text}");
            }
        }
    }

    #[test]
    fn every_nanp_territory_code_is_its_own_country_not_us() {
        for (code, area) in pairs(NANP_TERRITORIES) {
            let country = country_of(&format!("1{area}5550123")).unwrap();
            assert_eq!(
                (country.iso(), country.identified_by),
                (code, 4),
                "+1 {area}"
            );
        }
        for (number, code) in [
            ("14155550123", "US"),
            ("12125550123", "US"),
            ("19005550123", "US"),
            ("14165550123", "CA"),
            ("16045550123", "CA"),
            ("18765550123", "JM"),
            ("18095550123", "DO"),
            ("16715550123", "GU"),
        ] {
            assert_eq!(iso(number).as_deref(), Some(code), "{number}");
            assert_eq!(country_of(number).unwrap().identified_by, 4);
        }
    }

    #[test]
    fn shared_codes_go_to_the_sub_range_or_the_main_assignee() {
        for (number, code, digits) in [
            ("79161234567", "RU", 1),
            ("77011234567", "KZ", 2),
            ("76123456789", "KZ", 2),
            ("390669812345", "VA", 7),
            ("390612345678", "IT", 2),
            ("441481123456", "GG", 6),
            ("441534123456", "JE", 6),
            ("441624123456", "IM", 6),
            ("447700312345", "GB", 2),
            ("447912123456", "GB", 2),
            ("4779123456", "SJ", 4),
            ("4791234567", "NO", 2),
            ("61891641234", "CX", 7),
            ("61891621234", "CC", 7),
            ("61412345678", "AU", 2),
            ("262639123456", "YT", 6),
            ("262692123456", "RE", 3),
            ("59997123456", "CW", 3),
            ("5993181234", "BQ", 4),
            ("212528812345", "EH", 7),
            ("212612345678", "MA", 3),
            ("35818123456", "AX", 5),
            ("358401234567", "FI", 3),
            ("590690123456", "GP", 3),
            ("24761234", "SH", 3),
            ("38344123456", "XK", 3),
            ("8613711112222", "CN", 2),
            ("85291234567", "HK", 3),
        ] {
            let country = country_of(number).unwrap();
            assert_eq!(
                (country.iso(), country.identified_by),
                (code, digits),
                "{number}"
            );
        }
    }

    #[test]
    fn global_services_and_unassigned_codes_have_no_country() {
        for number in [
            "80012345678",
            "88212345678",
            "87012345678",
            "9791234567",
            "2101234567",
            "0123",
        ] {
            assert_eq!(iso(number), None, "{number}");
        }
        assert_eq!(iso(""), None);
    }

    #[test]
    fn iso_codes_map_back_to_their_prefixes() {
        assert_eq!(prefixes_of(*b"JM").collect::<Vec<_>>(), ["1658", "1876"]);
        assert_eq!(prefixes_of(*b"US").collect::<Vec<_>>(), ["1"]);
        assert_eq!(prefixes_of(*b"KZ").collect::<Vec<_>>(), ["76", "77"]);
        assert!(!is_known(*b"BL") && !is_known(*b"ZZ"));
        assert_eq!(row_prefixes().count(), 313);
    }
}
