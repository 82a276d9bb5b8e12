//! Country names and codes to ISO 3166-1 alpha-2. Lists write nationalities as names in their
//! own style (UN `Iran (Islamic Republic of)`, OFAC `Korea, North`, customers `Iran` or `IR`);
//! comparing them needs one code.

use std::collections::HashMap;
use std::sync::OnceLock;

/// `alpha-2 alpha-3 name|other name|...`, one country a line.
const TABLE: &str = "\
AF AFG Afghanistan
AX ALA Aland Islands
AL ALB Albania
DZ DZA Algeria
AS ASM American Samoa
AD AND Andorra
AO AGO Angola
AI AIA Anguilla
AQ ATA Antarctica
AG ATG Antigua and Barbuda
AR ARG Argentina
AM ARM Armenia
AW ABW Aruba
AU AUS Australia
AT AUT Austria
AZ AZE Azerbaijan
BS BHS Bahamas|The Bahamas
BH BHR Bahrain
BD BGD Bangladesh
BB BRB Barbados
BY BLR Belarus
BE BEL Belgium
BZ BLZ Belize
BJ BEN Benin
BM BMU Bermuda
BT BTN Bhutan
BO BOL Bolivia|Bolivia (Plurinational State of)|Plurinational State of Bolivia
BA BIH Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia
BW BWA Botswana
BR BRA Brazil
IO IOT British Indian Ocean Territory
VG VGB British Virgin Islands|Virgin Islands, British
BN BRN Brunei|Brunei Darussalam
BG BGR Bulgaria
BF BFA Burkina Faso
BI BDI Burundi
CV CPV Cabo Verde|Cape Verde
KH KHM Cambodia
CM CMR Cameroon
CA CAN Canada
KY CYM Cayman Islands
CF CAF Central African Republic
TD TCD Chad
CL CHL Chile
CN CHN China|People's Republic of China
CO COL Colombia
KM COM Comoros
CG COG Congo|Republic of the Congo|Congo, Republic of the|Congo-Brazzaville
CD COD Democratic Republic of the Congo|Congo, Democratic Republic of the|DR Congo|DRC|Congo-Kinshasa|Zaire
CK COK Cook Islands
CR CRI Costa Rica
CI CIV Cote d'Ivoire|Ivory Coast
HR HRV Croatia
CU CUB Cuba
CW CUW Curacao
CY CYP Cyprus
CZ CZE Czechia|Czech Republic
DK DNK Denmark
DJ DJI Djibouti
DM DMA Dominica
DO DOM Dominican Republic
EC ECU Ecuador
EG EGY Egypt
SV SLV El Salvador
GQ GNQ Equatorial Guinea
ER ERI Eritrea
EE EST Estonia
SZ SWZ Eswatini|Swaziland
ET ETH Ethiopia
FK FLK Falkland Islands
FO FRO Faroe Islands
FJ FJI Fiji
FI FIN Finland
FR FRA France
GF GUF French Guiana
PF PYF French Polynesia
GA GAB Gabon
GM GMB Gambia|The Gambia
GE GEO Georgia
DE DEU Germany
GH GHA Ghana
GI GIB Gibraltar
GR GRC Greece
GL GRL Greenland
GD GRD Grenada
GP GLP Guadeloupe
GU GUM Guam
GT GTM Guatemala
GG GGY Guernsey
GN GIN Guinea
GW GNB Guinea-Bissau
GY GUY Guyana
HT HTI Haiti
VA VAT Holy See|Vatican|Vatican City
HN HND Honduras
HK HKG Hong Kong|Hong Kong SAR
HU HUN Hungary
IS ISL Iceland
IN IND India
ID IDN Indonesia
IR IRN Iran|Iran (Islamic Republic of)|Islamic Republic of Iran
IQ IRQ Iraq
IE IRL Ireland
IM IMN Isle of Man
IL ISR Israel
IT ITA Italy
JM JAM Jamaica
JP JPN Japan
JE JEY Jersey
JO JOR Jordan
KZ KAZ Kazakhstan
KE KEN Kenya
KI KIR Kiribati
KP PRK North Korea|Korea, North|Democratic People's Republic of Korea|Korea (Democratic People's Republic of)|DPRK
KR KOR South Korea|Korea, South|Republic of Korea|Korea
XK XKX Kosovo
KW KWT Kuwait
KG KGZ Kyrgyzstan|Kyrgyz Republic
LA LAO Laos|Lao People's Democratic Republic|Lao PDR
LV LVA Latvia
LB LBN Lebanon
LS LSO Lesotho
LR LBR Liberia
LY LBY Libya|Libyan Arab Jamahiriya
LI LIE Liechtenstein
LT LTU Lithuania
LU LUX Luxembourg
MO MAC Macao|Macau
MG MDG Madagascar
MW MWI Malawi
MY MYS Malaysia
MV MDV Maldives
ML MLI Mali
MT MLT Malta
MH MHL Marshall Islands
MQ MTQ Martinique
MR MRT Mauritania
MU MUS Mauritius
YT MYT Mayotte
MX MEX Mexico
FM FSM Micronesia|Micronesia, Federated States of|Federated States of Micronesia
MD MDA Moldova|Republic of Moldova|Moldova, Republic of
MC MCO Monaco
MN MNG Mongolia
ME MNE Montenegro
MS MSR Montserrat
MA MAR Morocco
MZ MOZ Mozambique
MM MMR Myanmar|Burma
NA NAM Namibia
NR NRU Nauru
NP NPL Nepal
NL NLD Netherlands|The Netherlands|Holland
NC NCL New Caledonia
NZ NZL New Zealand
NI NIC Nicaragua
NE NER Niger
NG NGA Nigeria
MK MKD North Macedonia|Macedonia|The former Yugoslav Republic of Macedonia
MP MNP Northern Mariana Islands
NO NOR Norway
OM OMN Oman
PK PAK Pakistan
PW PLW Palau
PS PSE Palestine|State of Palestine|Palestinian|Palestinian Territories|West Bank|Gaza
PA PAN Panama
PG PNG Papua New Guinea
PY PRY Paraguay
PE PER Peru
PH PHL Philippines
PL POL Poland
PT PRT Portugal
PR PRI Puerto Rico
QA QAT Qatar
RE REU Reunion
RO ROU Romania
RU RUS Russia|Russian Federation
RW RWA Rwanda
KN KNA Saint Kitts and Nevis|St. Kitts and Nevis
LC LCA Saint Lucia|St. Lucia
VC VCT Saint Vincent and the Grenadines|St. Vincent and the Grenadines
WS WSM Samoa
SM SMR San Marino
ST STP Sao Tome and Principe
SA SAU Saudi Arabia
SN SEN Senegal
RS SRB Serbia
SC SYC Seychelles
SL SLE Sierra Leone
SG SGP Singapore
SX SXM Sint Maarten
SK SVK Slovakia
SI SVN Slovenia
SB SLB Solomon Islands
SO SOM Somalia
ZA ZAF South Africa
SS SSD South Sudan
ES ESP Spain
LK LKA Sri Lanka
SD SDN Sudan
SR SUR Suriname
SE SWE Sweden
CH CHE Switzerland
SY SYR Syria|Syrian Arab Republic
TW TWN Taiwan
TJ TJK Tajikistan
TZ TZA Tanzania|United Republic of Tanzania|Tanzania, United Republic of
TH THA Thailand
TL TLS Timor-Leste|East Timor
TG TGO Togo
TO TON Tonga
TT TTO Trinidad and Tobago
TN TUN Tunisia
TR TUR Turkey|Turkiye
TM TKM Turkmenistan
TC TCA Turks and Caicos Islands
TV TUV Tuvalu
UG UGA Uganda
UA UKR Ukraine
AE ARE United Arab Emirates|UAE
GB GBR United Kingdom|United Kingdom of Great Britain and Northern Ireland|Great Britain|UK|England|Scotland|Wales
US USA United States|United States of America|USA|US
UY URY Uruguay
UZ UZB Uzbekistan
VU VUT Vanuatu
VE VEN Venezuela|Venezuela (Bolivarian Republic of)|Bolivarian Republic of Venezuela
VN VNM Vietnam|Viet Nam
VI VIR U.S. Virgin Islands|Virgin Islands, U.S.
YE YEM Yemen
ZM ZMB Zambia
ZW ZWE Zimbabwe
SU SUN Soviet Union|USSR
YU YUG Yugoslavia
";

fn key(text: &str) -> String {
    let ascii = any_ascii::any_ascii(text).to_ascii_lowercase();
    let cleaned: String = ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned
        .split_whitespace()
        .filter(|word| *word != "the" && *word != "of")
        .collect::<Vec<_>>()
        .join(" ")
}

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE_MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE_MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines() {
            let mut parts = line.splitn(3, ' ');
            let (Some(alpha2), Some(alpha3), Some(names)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            map.insert(alpha2.to_ascii_lowercase(), alpha2);
            map.insert(alpha3.to_ascii_lowercase(), alpha2);
            for name in names.split('|') {
                map.insert(key(name), alpha2);
            }
        }
        map
    })
}

/// The ISO 3166-1 alpha-2 code (upper case) of a country name, alpha-2 or alpha-3 code, in
/// any case and with or without accents; None for what the table does not know.
pub fn alpha2(text: &str) -> Option<&'static str> {
    let key = key(text);
    if key.is_empty() {
        return None;
    }
    table().get(&key).copied()
}
