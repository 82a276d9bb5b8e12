//! verifyd's files are the service user's alone: directories 0700, files 0600.
//!
//! The database holds personal data and the blobs are photos of identity documents, so no other
//! user of the machine may read them. Rather than chmod each file after the fact (SQLite, the
//! object store and the key file each create their own, and a file is readable between its
//! creation and a later chmod), the process's umask is set to 0o077 when it starts, as
//! PostgreSQL does: everything any part of verifyd creates is then private from its first byte.
//! SQLite gives its `-wal` and `-shm` files the database file's mode, so they follow it.
//!
//! Installations created before this are tightened at their next start: the data directory, the
//! database file with its `-wal`/`-shm`, and the blob root lose their group and other bits. The
//! blob files already below that root keep theirs, but nobody else can reach them through a
//! 0700 root; walking every blob at each start would cost more than it adds.

use std::io;
use std::path::{Path, PathBuf};

/// Group and other permission bits.
const NOT_OWNER: u32 = 0o077;

/// Files and directories created from now on by this process are private to its user.
/// Process-wide and idempotent: every entry point (server, worker, CLI) calls it before it
/// touches the data.
pub fn make_new_files_private() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(NOT_OWNER));
}

/// Creates `dir` and its missing parents private to the user; an existing one is left as it is
/// (it may be shared, such as the directory a database URL points into).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates a directory of verifyd's own (the data directory, the blob root) private to the
/// user, or tightens it if it exists.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    create_private_dir(dir)?;
    tighten(dir)
}

/// Takes the group and other bits off an existing file or directory; a missing one is fine.
pub fn tighten(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        let mode = metadata.permissions().mode();
        if mode & NOT_OWNER != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !NOT_OWNER))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The SQLite database file and the files SQLite keeps beside it.
pub(crate) fn sqlite_files(database: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [database.to_path_buf(), with("-wal"), with("-shm")]
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> io::Result<u32> {
        Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
    }

    #[test]
    fn an_existing_directory_and_file_are_tightened_and_keep_their_owner_bits() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let dir = root.path().join("data");
        std::fs::create_dir(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))?;
        let file = dir.join("verifyd.db");
        std::fs::write(&file, b"")?;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))?;

        private_dir(&dir)?;
        tighten(&file)?;
        tighten(&dir.join("missing"))?;

        assert_eq!(mode(&dir)?, 0o700);
        assert_eq!(mode(&file)?, 0o600);
        Ok(())
    }

    #[test]
    fn a_new_directory_is_private_with_its_parents() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let dir = root.path().join("a").join("b");
        private_dir(&dir)?;
        assert_eq!(mode(&dir)?, 0o700);
        assert_eq!(mode(&root.path().join("a"))? & NOT_OWNER, 0);
        Ok(())
    }

    #[test]
    fn sqlite_keeps_two_files_beside_the_database() {
        let [db, wal, shm] = sqlite_files(Path::new("/d/verifyd.db"));
        assert_eq!(db, Path::new("/d/verifyd.db"));
        assert_eq!(wal, Path::new("/d/verifyd.db-wal"));
        assert_eq!(shm, Path::new("/d/verifyd.db-shm"));
    }
}
