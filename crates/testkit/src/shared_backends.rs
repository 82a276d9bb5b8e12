//! A server on the backends a cluster shares: PostgreSQL and an S3 bucket (SeaweedFS), with the
//! master key and public base URL every node of such an installation must be given.

use anyhow::Result;
use verifyd_server::config::{BlobStoreS3, MasterKeySetting, SecretSetting};
use verifyd_server::Settings;

use crate::{ScratchPostgres, SeaweedFs, ACCESS_KEY_ID, BUCKET, SECRET_ACCESS_KEY};

/// A fixed master key (base64 of the bytes 0..32): shared backends need one given, not a file.
pub const SHARED_MASTER_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// Points `settings` at `database` and at `store`'s bucket under `prefix`, listening on
/// `port`, which must be known before the server starts (the public base URL names it).
pub fn on_shared_backends(
    settings: &mut Settings,
    database: &ScratchPostgres,
    store: &SeaweedFs,
    prefix: &str,
    port: u16,
) -> Result<()> {
    settings.database_url = Some(database.url());
    settings.blob_store_url = Some(format!("s3://{BUCKET}/{prefix}"));
    settings.blob_store_s3 = BlobStoreS3 {
        endpoint: Some(store.endpoint.clone()),
        region: Some("us-east-1".to_owned()),
        access_key_id: Some(ACCESS_KEY_ID.to_owned()),
        secret_access_key: Some(SecretSetting(SECRET_ACCESS_KEY.to_owned())),
        allow_http: Some(true),
        virtual_hosted_style: None,
    };
    settings.master_key = Some(MasterKeySetting(SHARED_MASTER_KEY.to_owned()));
    settings.listen = format!("127.0.0.1:{port}").parse()?;
    settings.public_base_url = Some(format!("http://127.0.0.1:{port}"));
    Ok(())
}

/// A port free now, for `on_shared_backends`.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
