//! The installation's master key: 32 bytes every process of one installation shares, from which
//! the domain's keyring (sealing of server secrets, lookup hashes) and the callback secrets
//! derive. It is the key-encryption key of the database, so it never lives in it: it is given
//! by configuration (`VERIFYD_MASTER_KEY`, base64), or kept in a file beside the data, mode
//! 0600, made on first start. On a shared database (PostgreSQL) it is never made: every node
//! must be given the same key, and a node given another one finds that its server secrets do not
//! open and refuses to start (`serve::open_server_secrets`).

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use verifyd_domain::keyring::Keyring;
use verifyd_domain::random::Random;

pub use crate::config::MasterKeySetting;
use crate::config::{ConfigError, Settings};

#[derive(Clone)]
pub struct MasterKey {
    pub(crate) bytes: [u8; 32],
    origin: KeyOrigin,
}

/// Where the master key came from, for the errors that must name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    File(PathBuf),
    /// The `master_key` setting (`VERIFYD_MASTER_KEY`).
    Setting,
}

impl std::fmt::Display for KeyOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyOrigin::File(path) => write!(f, "the key file {}", path.display()),
            KeyOrigin::Setting => f.write_str("the master_key setting (VERIFYD_MASTER_KEY)"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error("master key {path}: {reason}")]
    File { path: String, reason: String },
    #[error("the master_key setting (VERIFYD_MASTER_KEY) must be base64 of 32 bytes")]
    Setting,
    #[error(
        "the database is shared (postgres://), so every node must be given the installation's \
         master key: set master_key (VERIFYD_MASTER_KEY, base64 of 32 bytes) or master_key_file \
         to an existing file; a key made on this node would differ from the others'"
    )]
    NotGivenForSharedDatabase,
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl MasterKey {
    /// The installation's key: the `master_key` setting when given, else the key file.
    pub fn configured(settings: &Settings, random: &dyn Random) -> Result<Self, MasterKeyError> {
        match &settings.master_key {
            Some(setting) => Self::from_setting(setting),
            None if settings.shared_database() => match &settings.master_key_file {
                Some(path) if path.exists() => Self::load_or_create(path, random),
                _ => Err(MasterKeyError::NotGivenForSharedDatabase),
            },
            None => Self::load_or_create(&settings.master_key_file()?, random),
        }
    }

    fn from_setting(setting: &MasterKeySetting) -> Result<Self, MasterKeyError> {
        let text = setting.0.trim();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text))
            .map_err(|_| MasterKeyError::Setting)?;
        let bytes = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| MasterKeyError::Setting)?;
        Ok(Self {
            bytes,
            origin: KeyOrigin::Setting,
        })
    }

    /// Reads the key file, creating it (mode 0600) with 32 random bytes on first use. A file
    /// from before files were private loses its group and other bits.
    pub fn load_or_create(path: &Path, random: &dyn Random) -> Result<Self, MasterKeyError> {
        let failed = |reason: String| MasterKeyError::File {
            path: path.display().to_string(),
            reason,
        };
        let found = |bytes: [u8; 32]| MasterKey {
            bytes,
            origin: KeyOrigin::File(path.to_path_buf()),
        };
        match std::fs::read(path) {
            Ok(bytes) => {
                verifyd_storage::private_files::tighten(path)
                    .map_err(|error| failed(format!("cannot make it private: {error}")))?;
                <[u8; 32]>::try_from(bytes.as_slice())
                    .map(found)
                    .map_err(|_| {
                        failed(format!("must hold exactly 32 bytes, holds {}", bytes.len()))
                    })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                random.fill(&mut key);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(&key).map_err(|e| failed(e.to_string()))?;
                        Ok(found(key))
                    }
                    // Another process created it first: use theirs.
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::load_or_create(path, random)
                    }
                    Err(error) => Err(failed(error.to_string())),
                }
            }
            Err(error) => Err(failed(error.to_string())),
        }
    }

    /// The domain's purpose keys.
    pub fn keyring(&self) -> Keyring {
        Keyring::derive(&self.bytes)
    }

    pub fn origin(&self) -> &KeyOrigin {
        &self.origin
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey(from {})", self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;

    impl Random for Fixed {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(9);
        }
    }

    #[test]
    fn the_setting_takes_precedence_over_the_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("master.key");
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            master_key: Some(MasterKeySetting(
                base64::engine::general_purpose::STANDARD.encode([3u8; 32]),
            )),
            master_key_file: Some(file.clone()),
            ..Settings::default()
        };
        let key = MasterKey::configured(&settings, &Fixed)?;
        assert_eq!(key.bytes, [3; 32]);
        assert_eq!(key.origin(), &KeyOrigin::Setting);
        assert!(
            !file.exists(),
            "no key file is made when the setting gives the key"
        );
        Ok(())
    }

    #[test]
    fn without_the_setting_the_file_is_made_once_and_read_after(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let made = MasterKey::configured(&settings, &Fixed)?;
        let read = MasterKey::load_or_create(&settings.master_key_file()?, &Fixed)?;
        assert_eq!(made.bytes, [9; 32]);
        assert_eq!(read.bytes, made.bytes);
        assert_eq!(
            read.origin(),
            &KeyOrigin::File(dir.path().join("master.key"))
        );
        Ok(())
    }

    #[test]
    fn a_setting_that_is_not_32_bytes_of_base64_is_refused() {
        for value in ["", "not base64!", "AAAA"] {
            let setting = MasterKeySetting(value.to_owned());
            assert!(
                matches!(
                    MasterKey::from_setting(&setting),
                    Err(MasterKeyError::Setting)
                ),
                "{value:?}"
            );
        }
        assert_eq!(
            format!("{:?}", MasterKeySetting("c2VjcmV0".to_owned())),
            "MasterKeySetting(..)"
        );
    }
}
