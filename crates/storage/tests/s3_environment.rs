//! `open_blob_store` reaches an `s3://` store through the usual AWS variables alone, and each
//! setting given (the server's `[blob_store_s3]`) overrides its variable. A test binary of its
//! own with one test: it sets the process's environment, which no other test may read meanwhile.

#![cfg(unix)]

use bytes::Bytes;
use verifyd_testkit::{SeaweedFs, ACCESS_KEY_ID, BUCKET, SECRET_ACCESS_KEY};

type Error = Box<dyn std::error::Error + Send + Sync>;
use verifyd_storage::{open_blob_store, BlobStoreOptions, S3Options};

#[test]
fn the_aws_variables_reach_the_store_and_the_settings_override_them() -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = SeaweedFs::start().await?;
        let url = format!("s3://{BUCKET}/environment");
        let key = "tenants/1/accounts/2/credentials/3/FRONT-4";
        let none = BlobStoreOptions::default();
        let secret = |secret: &str| BlobStoreOptions {
            s3: S3Options {
                secret_access_key: Some(secret.to_owned()),
                ..S3Options::default()
            },
        };

        for (variable, value) in [
            ("AWS_ENDPOINT_URL", server.endpoint.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY),
            ("AWS_ALLOW_HTTP", "true"),
        ] {
            std::env::set_var(variable, value);
        }
        let store = open_blob_store(&url, &none)?;
        store
            .put(key, Bytes::from_static(b"by the environment"))
            .await?;
        assert_eq!(
            store.get(key).await?,
            Some(Bytes::from_static(b"by the environment"))
        );
        // A wrong secret in the settings wins over the right variable: the server refuses it.
        assert!(open_blob_store(&url, &secret("wrong"))?
            .get(key)
            .await
            .is_err());

        // And the right one in the settings wins over a wrong variable.
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "wrong");
        assert!(open_blob_store(&url, &none)?.get(key).await.is_err());
        assert_eq!(
            open_blob_store(&url, &secret(SECRET_ACCESS_KEY))?
                .get(key)
                .await?,
            Some(Bytes::from_static(b"by the environment"))
        );
        // Without AWS_ALLOW_HTTP (and no setting) an http endpoint is refused.
        std::env::set_var("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        std::env::remove_var("AWS_ALLOW_HTTP");
        assert!(open_blob_store(&url, &none)?.get(key).await.is_err());
        let allow_http = BlobStoreOptions {
            s3: S3Options {
                allow_http: Some(true),
                ..S3Options::default()
            },
        };
        assert!(open_blob_store(&url, &allow_http)?
            .get(key)
            .await?
            .is_some());
        Ok(())
    })
}
