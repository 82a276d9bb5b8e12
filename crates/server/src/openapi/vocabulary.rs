//! The closed sets the request schemas refer to by name (`verifyd_types::schema`), filled from
//! the domain's catalogue, which is what validation checks them against: the document cannot
//! list a country, locale or document type the server would refuse, nor miss one it takes.

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::Modify;
use verifyd_domain::catalogue::{IdType, FACEMAP_TYPES, LOCALES, SUPPORTED_COUNTRIES};
use verifyd_types::schema::{COUNTRY_CODE, FACEMAP_TYPE, ID_TYPE, LOCALE};

pub struct Catalogue;

impl Modify for Catalogue {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut add = |name: &str, description: &str, values: Vec<&'static str>| {
            components.schemas.insert(
                name.to_owned(),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(values))
                    .description(Some(description))
                    .into(),
            );
        };
        add(
            COUNTRY_CODE,
            "ISO 3166-1 alpha-3 country code, or XKX for Kosovo",
            SUPPORTED_COUNTRIES
                .iter()
                .map(|country| country.code)
                .collect(),
        );
        add(LOCALE, "A locale of the web client", LOCALES.to_vec());
        add(
            ID_TYPE,
            "A type of identity document",
            IdType::ALL.iter().map(|id_type| id_type.as_str()).collect(),
        );
        add(
            FACEMAP_TYPE,
            "A facemap type a FACEMAP credential may ask for",
            FACEMAP_TYPES.to_vec(),
        );
    }
}
