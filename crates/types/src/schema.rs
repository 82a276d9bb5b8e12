//! The OpenAPI schemas of request fields whose rules a derived schema cannot state: patterns
//! that say exactly what the domain's validation (`verifyd_domain::rules`) accepts, so that a
//! generated client, or schemathesis, sends what the server takes and nothing it refuses.
//! Closed sets that the domain's catalogue holds (countries, locales, document types) are
//! references to components the server's OpenAPI document adds from that catalogue.

use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

/// Whitespace as Rust's `str::trim` sees it, less the control characters (refused anyway).
const SPACE: &str = r"\u0020\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// Control characters (`char::is_control`): refused in every free-text field.
const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";
/// What the specification forbids in references, besides control characters.
const FORBIDDEN: &str = r#"<>"/;`%{}|"#;

/// Names of the components the server adds from its catalogue.
pub const COUNTRY_CODE: &str = "CountryCode";
pub const LOCALE: &str = "Locale";
pub const ID_TYPE: &str = "IdType";
pub const FACEMAP_TYPE: &str = "FacemapType";

fn string(nullable: bool) -> ObjectBuilder {
    let schema_type = if nullable {
        SchemaType::Array(vec![Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new().schema_type(schema_type)
}

fn reference(nullable: bool) -> Schema {
    string(nullable)
        .min_length(Some(1))
        .max_length(Some(100))
        .pattern(Some(format!(
            "^[{SPACE}]*[^{SPACE}{CONTROL}{FORBIDDEN}][^{CONTROL}{FORBIDDEN}]*$"
        )))
        .description(Some(
            "At most 100 characters, not blank, no control characters and none of < > \" / ; ` % { } |",
        ))
        .into()
}

/// `customerInternalReference`: mandatory.
pub fn required_reference() -> Schema {
    reference(false)
}

/// `userReference`: optional (mandatory in workflow 32 and in v4 initiate).
pub fn optional_reference() -> Schema {
    reference(true)
}

fn free_text(max: usize) -> Schema {
    string(true)
        .max_length(Some(max))
        .pattern(Some(format!("^[^{CONTROL}]*$")))
        .description(Some(format!(
            "At most {max} characters, no control characters"
        )))
        .into()
}

pub fn free_text_100() -> Schema {
    free_text(100)
}

pub fn free_text_255() -> Schema {
    free_text(255)
}

pub fn free_text_1000() -> Schema {
    free_text(1000)
}

/// An HTTPS URL on a public domain name, without port, credentials or fragment (the portal
/// settings' rules): RFC 3986 characters and escapes, a host of DNS labels whose last one
/// starts with a letter (so never an IP address). One gap: an `xn--` label that is not valid
/// IDNA punycode matches the pattern but is refused (a regular expression cannot decode it).
fn https_url(max: usize) -> Schema {
    const LABEL: &str = "[A-Za-z0-9]+(-+[A-Za-z0-9]+)*";
    const TOP: &str = "[A-Za-z][A-Za-z0-9]*(-+[A-Za-z0-9]+)*";
    const CHAR: &str = "([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})";
    string(true)
        .max_length(Some(max))
        .pattern(Some(format!(
            "^[Hh][Tt][Tt][Pp][Ss]://({LABEL}\\.)+{TOP}(/{CHAR}*)*(\\?({CHAR}|[/?])*)?$"
        )))
        .description(Some(format!(
            "An https URL on a public domain name, at most {max} characters, without port, credentials or fragment"
        )))
        .into()
}

pub fn https_url_255() -> Schema {
    https_url(255)
}

pub fn https_url_2047() -> Schema {
    https_url(2047)
}

/// `tokenLifetime`: `^\d+[smhd]$` from 5 minutes to 60 days, as one pattern per unit.
pub fn token_lifetime() -> Schema {
    const SECONDS: &str =
        "[3-9][0-9]{2}|[1-9][0-9]{3,5}|[1-4][0-9]{6}|50[0-9]{5}|51[0-7][0-9]{4}|518[0-3][0-9]{3}|5184000";
    const MINUTES: &str =
        "[5-9]|[1-9][0-9]{1,3}|[1-7][0-9]{4}|8[0-5][0-9]{3}|86[0-3][0-9]{2}|86400";
    const HOURS: &str = "[1-9][0-9]{0,2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440";
    const DAYS: &str = "[1-9]|[1-5][0-9]|60";
    string(true)
        .pattern(Some(format!(
            "^0*(({SECONDS})s|({MINUTES})m|({HOURS})h|({DAYS})d)$"
        )))
        .description(Some(
            "A duration like 600s, 30m, 12h or 1d, from 5m to 60d; default 30m",
        ))
        .into()
}

/// `workflowDefinition.key`: one of the supported keys, as a number or a string holding one.
pub fn workflow_key() -> Schema {
    const KEYS: [u16; 8] = [2, 3, 5, 6, 9, 16, 20, 32];
    let numbers = KEYS.map(|key| key.to_string()).join("|");
    // `str::trim` whitespace, controls included, then what `u64::from_str` takes.
    let space = format!("{SPACE}\\u0009-\\u000D\\u0085");
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .enum_values(Some(KEYS)),
        )
        .item(string(false).pattern(Some(format!(
            "^[{space}]*\\+?0*({numbers})[{space}]*$"
        ))))
        .description(Some(
            "Workflow definition key: 2, 3, 5, 6, 9, 16, 20 or 32 (a number, or a string holding one)",
        ))
        .into()
}

fn component(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

pub fn country_code() -> RefOr<Schema> {
    component(COUNTRY_CODE)
}

pub fn locale() -> RefOr<Schema> {
    component(LOCALE)
}

pub fn id_type() -> RefOr<Schema> {
    component(ID_TYPE)
}

fn nullable(name: &str) -> Schema {
    OneOfBuilder::new()
        .item(component(name))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

pub fn optional_country_code() -> Schema {
    nullable(COUNTRY_CODE)
}

pub fn optional_locale() -> Schema {
    nullable(LOCALE)
}

/// A property that may only be absent or null.
fn absent() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Null)
        .description(Some("Not available for this category"))
        .into()
}

fn preset(values: RefOr<Schema>, what: &str) -> Schema {
    let predefined = ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .enum_values(Some([Some("DEFINED"), Some("RECOMMENDED"), None]))
        .description(Some("DEFINED (default) or RECOMMENDED"));
    let values = utoipa::openapi::schema::ArrayBuilder::new()
        .items(values)
        .min_items(Some(1))
        .unique_items(true);
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .property("predefinedType", predefined)
                .property("values", values)
                .required("values")
                .description(Some(format!("Preset {what}: at least one, none twice"))),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

fn category(name: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .property(
            "category",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([name])),
        )
        .required("category")
}

/// `workflowDefinition.credentials[]`: what each category takes. Which categories (and how many
/// of each) a workflow takes, and that only workflow 5 names an ID credential on file by `id`,
/// are the workflow's rules: a request that breaks them is answered 400 `INVALID_FIELD`.
pub fn credential_definitions() -> Schema {
    let id = category("ID")
        .property(
            "id",
            ObjectBuilder::new()
                .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
                .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                    utoipa::openapi::schema::KnownFormat::Uuid,
                )))
                .description(Some("Workflow 5 only: the ID credential on file")),
        )
        .property("country", preset(country_code(), "countries"))
        .property("type", preset(id_type(), "document types"));
    let facemap = category("FACEMAP")
        .property("id", absent())
        .property("country", absent())
        .property("type", preset(component(FACEMAP_TYPE), "facemap types"));
    let selfie = category("SELFIE")
        .property("id", absent())
        .property("country", absent())
        .property("type", absent());
    let document = category("DOCUMENT")
        .property("id", absent())
        .property("country", preset(country_code(), "countries"))
        .property("type", absent());
    let item = OneOfBuilder::new()
        .item(id)
        .item(facemap)
        .item(selfie)
        .item(document);
    OneOfBuilder::new()
        .item(utoipa::openapi::schema::ArrayBuilder::new().items(item))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// `userConsent.userIp`.
pub fn ip_address() -> Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, SchemaFormat};
    let address = |format| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
    };
    AnyOfBuilder::new()
        .item(address(KnownFormat::Ipv4))
        .item(address(KnownFormat::Ipv6))
        .description(Some("An IPv4 or IPv6 address"))
        .into()
}

/// `userConsent.consent.obtained`.
pub fn consent_obtained() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["yes", "no", "na"]))
        .into()
}

/// A UTC timestamp as `YYYY-MM-DDThh:mm:ss.SSSZ` on a day the calendar has.
pub fn optional_timestamp() -> Schema {
    const TIME: &str = "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z";
    string(true)
        .pattern(Some(format!("^{}{TIME}$", calendar_date())))
        .description(Some("UTC, YYYY-MM-DDThh:mm:ss.SSSZ"))
        .into()
}

/// Whitespace that `str::trim` removes before a number in a string is parsed.
fn trimmed(pattern: &str) -> String {
    let space = format!("{SPACE}\\u0009-\\u000D\\u0085");
    format!("^[{space}]*{pattern}[{space}]*$")
}

fn whole_number(values: &[u16], what: &str, nullable: bool) -> Schema {
    let alternatives = values
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join("|");
    let mut one_of = OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .enum_values(Some(values.to_vec())),
        )
        .item(string(false).pattern(Some(trimmed(&format!("\\+?0*({alternatives})")))));
    if nullable {
        one_of = one_of.item(ObjectBuilder::new().schema_type(Type::Null));
    }
    one_of
        .description(Some(format!("{what} (a number, or a string holding one)")))
        .into()
}

/// v4 `workflowId`.
pub fn netverify_workflow_id() -> Schema {
    whole_number(
        &[100, 101, 102, 200, 201, 202],
        "100, 101, 102 (ID only) or 200, 201, 202 (ID + Identity): camera and upload, camera only, upload only; default 100",
        true,
    )
}

/// v4 `presets[].index`.
pub fn netverify_preset_index() -> Schema {
    whole_number(&[1], "1", false)
}

/// v4 `tokenLifetimeInMinutes`: 5 to 86400, as a number or a decimal string.
pub fn netverify_token_minutes() -> Schema {
    const WHOLE: &str = "[5-9]|[1-9][0-9]{1,3}|[1-7][0-9]{4}|8[0-5][0-9]{3}|86[0-3][0-9]{2}";
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(5))
                .maximum(Some(86_400)),
        )
        .item(string(false).pattern(Some(trimmed(&format!(
            "\\+?0*(({WHOLE})(\\.[0-9]*)?|86400(\\.0*)?)"
        )))))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("5 to 86400 minutes; default 30"))
        .into()
}

/// v4 `presets[].type`: the ID types a v4 preset may name.
pub fn netverify_preset_type() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["PASSPORT", "DRIVING_LICENSE", "ID_CARD"]))
        .into()
}

/// A switch sent as a boolean or as the string "true" / "false" (netverify's samples quote it).
pub fn boolean_or_string() -> Schema {
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["true", "false"])),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// Prepared data `sex`.
pub fn sex() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .enum_values(Some([Some("M"), Some("F"), None]))
        .into()
}

const DATE_LONG: &str = "(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])";
const DATE_SHORT: &str = "(0[469]|11)-(0[1-9]|[12][0-9]|30)";
const DATE_FEBRUARY: &str = "02-(0[1-9]|1[0-9]|2[0-8])";
const LEAP_DAY: &str =
    "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29";

fn calendar_date() -> String {
    format!("([0-9]{{4}}-({DATE_LONG}|{DATE_SHORT}|{DATE_FEBRUARY})|{LEAP_DAY})")
}

/// Prepared data `dateOfBirth`: `YYYY-MM-DD` on a day the calendar has.
pub fn optional_date() -> Schema {
    string(true)
        .pattern(Some(format!("^{}$", calendar_date())))
        .description(Some("YYYY-MM-DD"))
        .into()
}

/// performNetverify's images: base64 (padding optional, whitespace ignored); the domain
/// decodes them and checks them as uploads.
fn base64(nullable: bool) -> Schema {
    string(nullable)
        .min_length(Some(1))
        .pattern(Some("^[A-Za-z0-9+/\\s]*={0,2}\\s*$".to_owned()))
        .description(Some(
            "Base64 of a JPEG or PNG: at most 15 MB, under 8000 pixels a side, longest side over 300 pixels",
        ))
        .into()
}

pub fn base64_image() -> Schema {
    base64(false)
}

pub fn optional_base64_image() -> Schema {
    base64(true)
}

/// performNetverify's `*ImageMimeType`.
pub fn image_mime_type() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .enum_values(Some([Some("image/jpeg"), Some("image/png"), None]))
        .into()
}

/// performNetverify's `callbackGranularity`.
pub fn callback_granularity() -> Schema {
    let values = crate::values::CallbackGranularity::ALL.map(|value| Some(value.as_str()));
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .enum_values(Some(values.into_iter().chain([None])))
        .into()
}

/// performNetverify's `enabledFields`: a comma-separated list of the guide's field names.
pub fn enabled_fields() -> Schema {
    let names = crate::values::EnabledField::ALL.map(|field| field.as_str());
    let field = format!("({})", names.join("|"));
    string(true)
        .max_length(Some(100))
        .pattern(Some(format!("^ *{field}( *, *{field})* *$")))
        .description(Some(format!("Comma-separated: {}", names.join(", "))))
        .into()
}

pub fn free_text_14() -> Schema {
    free_text(14)
}

/// Prepared data `email`: something before an `@` and a dot after it.
pub fn email() -> Schema {
    string(true)
        .max_length(Some(255))
        .pattern(Some(format!(
            "^[^@{CONTROL}]+@[^{CONTROL}]*\\.[^{CONTROL}]*$"
        )))
        .into()
}

/// Document Verification `authorizationTokenLifetime`: whole seconds from 1 to 5184000 (60
/// days), as a number or a string holding one.
pub fn document_token_lifetime() -> Schema {
    const WHOLE: &str =
        "[1-9][0-9]{0,5}|[1-4][0-9]{6}|50[0-9]{5}|51[0-7][0-9]{4}|518[0-3][0-9]{3}|5184000";
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(5_184_000)),
        )
        .item(string(false).pattern(Some(trimmed(&format!("\\+?0*({WHOLE})")))))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("1 to 5184000 seconds; default 1800"))
        .into()
}

/// Document Verification `baseColor` and `bgColor`: a hex triplet without `#`.
pub fn hex_color() -> Schema {
    string(true)
        .pattern(Some("^[0-9A-Fa-f]{6}$"))
        .description(Some(
            "A hex triplet (six hexadecimal digits, no #); baseColor and bgColor only together",
        ))
        .into()
}

/// Document Verification `locale`: a locale of the web client, also as the Document
/// Verification guide spells its list (`en_GB`, `pt_BR`, ..., and `vl` for Vietnamese).
pub fn document_locale() -> Schema {
    OneOfBuilder::new()
        .item(component(LOCALE))
        .item(string(false).enum_values(Some(["en_GB", "es_MX", "pt_BR", "zh_CN", "zh_HK", "vl"])))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}
