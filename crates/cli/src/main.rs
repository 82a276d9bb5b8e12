//! `verifyd`: the one binary. Thin: parse arguments, load settings, call the server crate.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use verifyd_domain::clock::{Clock, SystemClock};
use verifyd_domain::model::parse_scopes;
use verifyd_server::{admin, Runtime, Settings};

#[derive(Parser)]
#[command(name = "verifyd", version, about = "Self-hosted identity verification")]
struct Cli {
    /// A TOML configuration file; VERIFYD_* environment variables override it.
    #[arg(long, global = true, env = "VERIFYD_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (default: 127.0.0.1:8080, data in ./data).
    Serve {
        /// Serve the API only, and leave processing and callbacks to `verifyd worker`
        /// processes on the same database, so that the two scale apart.
        #[arg(long)]
        no_workers: bool,
    },
    /// Process finalized workflow executions only (no HTTP), until ctrl-c.
    Worker,
    /// Manage tenants.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage API credentials.
    Credentials {
        #[command(subcommand)]
        command: CredentialsCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Analyse the photos of an ID (and a selfie) as processing would, and print the
    /// capabilities as JSON in the retrieval API's shape. Needs the models (scripts/fetch-models).
    Inspect {
        #[arg(long)]
        front: PathBuf,
        #[arg(long)]
        back: Option<PathBuf>,
        /// A selfie: its liveness (passive, from one photo) and its similarity with the ID.
        #[arg(long)]
        selfie: Option<PathBuf>,
        /// The issuing country the document must have (ISO 3166-1 alpha-3).
        #[arg(long)]
        country: Option<String>,
        /// PASSPORT, ID_CARD, DRIVING_LICENSE or VISA: the type the document must have.
        #[arg(long = "type")]
        id_type: Option<String>,
        /// Also print, per image, what each stage of the document engine measured and read
        /// (quality, MRZ, barcode, visual zone, forensics) and its time, even where the
        /// decision stops early.
        #[arg(long)]
        explain: bool,
    },
    /// Copy a single-node installation (SQLite and files) to PostgreSQL and an S3-compatible
    /// store, and verify the copy (rows and checksums per table, SHA-256 per blob). Re-runnable:
    /// each run makes the target a mirror of the source; run it while the old node serves,
    /// stop the node, run it again, start the new nodes (docs/migrate.md). The S3 target is
    /// reached as the `[blob_store_s3]` table of --config or the AWS_* variables say.
    Migrate {
        /// The old installation's database: sqlite://PATH (it must exist).
        #[arg(long)]
        from: String,
        /// The new database: postgres://USER@HOST:PORT/DB (it must exist; its schema is made).
        #[arg(long)]
        to: String,
        /// The old installation's blob store, e.g. file:///srv/verifyd/data/blobs/.
        #[arg(long, requires = "blobs_to")]
        blobs_from: Option<String>,
        /// The new blob store, e.g. s3://BUCKET/PREFIX (the bucket must exist).
        #[arg(long, requires = "blobs_from")]
        blobs_to: Option<String>,
    },
    /// Watchlists for screening (workflow 32 and `POST /api/v1/screening/searches`): import
    /// published sanctions lists, show the versions in force, search a name.
    Screening {
        #[command(subcommand)]
        command: ScreeningCommand,
    },
    /// Internal: the PDF sandbox's child (reads a PDF on standard input, answers JSON).
    #[command(name = "inspect-pdf", hide = true)]
    InspectPdf,
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant and print its first credentials (every scope) as JSON.
    Create { name: String },
    /// Set the documents the tenant accepts, as JSON such as
    /// `[{"countryCode":"NLD","idTypes":["PASSPORT","ID_CARD"]}]`, or `all`.
    AcceptIds { name: String, accepted: String },
    /// Show the tenant's screening profile as JSON, changing what is given: the lists it is
    /// screened against (names separated by commas, or `all`), the threshold (0..1; 0.90 for
    /// name-only screening, see docs/screening.md), and the searchStatus of a finished search
    /// (DONE as the guide writes it, SUCCESS as the vendor's live service sends it), and
    /// ongoing monitoring (`on`: the holders it screened are screened again against what each
    /// list import adds or changes, and a new hit is called back). With --profile, a named
    /// search profile (lists and threshold) that a request chooses by `searchProfile`; with
    /// --remove as well, that profile is removed.
    Screening {
        name: String,
        #[arg(long)]
        profile: Option<String>,
        #[arg(long, requires = "profile")]
        remove: bool,
        #[arg(long)]
        lists: Option<String>,
        #[arg(long)]
        threshold: Option<f64>,
        #[arg(long)]
        search_status: Option<String>,
        #[arg(long, value_parser = on_off)]
        monitoring: Option<bool>,
    },
    /// Show the tenant's data retention as JSON, changing what is given: --days N purges its
    /// finished transactions N days after their creation (360 by default), --forever keeps
    /// them, --delete-fraud on purges those denied as fraud too (kept by default). See
    /// docs/data-protection.md.
    Retention {
        name: String,
        #[arg(long, conflicts_with = "forever", value_parser = clap::value_parser!(u32).range(1..=36_500))]
        days: Option<u32>,
        #[arg(long)]
        forever: bool,
        #[arg(long, value_parser = on_off)]
        delete_fraud: Option<bool>,
    },
    /// Show the tenant's callback signing secret; with --url, set its default callback URL
    /// (an empty --url clears it).
    Callback {
        name: String,
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Subcommand)]
enum ScreeningCommand {
    /// Import a list as a new version in force: OFAC `sdn.csv` (with its `alt.csv`, `add.csv`,
    /// `sdn_comments.csv`), the UN consolidated XML, OpenSanctions FollowTheMoney JSON lines,
    /// or FollowTheMoney delta files (applied to the list in force). An empty or unparsable
    /// file, or one that shrinks the list by more than --max-shrink, is refused and the
    /// version in force stays.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The list's name, when not its format's own (ofac-sdn, un-consolidated,
        /// opensanctions).
        #[arg(long)]
        list: Option<String>,
        /// The largest share of entries an import may drop against the version in force.
        #[arg(long, default_value_t = verifyd_domain::service::DEFAULT_MAX_SHRINK)]
        max_shrink: f64,
    },
    /// The list versions in force, one JSON object per line.
    Lists,
    /// Screen a name against the lists in force and print the matches as JSON (nothing is
    /// stored).
    Search {
        name: String,
        /// YYYY-MM-DD or YYYY.
        #[arg(long)]
        dob: Option<String>,
        /// ISO 3166-1 alpha-3 (or alpha-2, or the country's name).
        #[arg(long)]
        nationality: Option<String>,
    },
}

#[derive(Subcommand)]
enum CredentialsCommand {
    /// Create credentials limited to some scopes (initiate, acquire, retrieve, delete).
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value = "initiate,acquire,retrieve,delete")]
        scope: String,
    },
}

fn on_off(text: &str) -> Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("on or off".to_owned()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::InspectPdf = cli.command {
        return verifyd_analysers::sandbox::child_main();
    }
    let default_level = match cli.command {
        Command::Serve { .. } => "info",
        // Reading a whole table while writing it elsewhere is a "slow statement" by sqlx's
        // measure, and by design.
        Command::Migrate { .. } => "warn,sqlx::query=error",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("verifyd: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("verifyd: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Openapi = cli.command {
        print!("{}", verifyd_server::openapi::document());
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve { no_workers } => {
            let mut settings = settings;
            if no_workers {
                settings.processing.workers = 0;
            }
            let server = verifyd_server::start(settings, Runtime::default()).await?;
            server.wait().await.context("the server stopped")?;
        }
        Command::Worker => verifyd_server::serve::run_workers(settings, Runtime::default()).await?,
        Command::Tenant {
            command: TenantCommand::Create { name },
        } => {
            let issued = admin::create_tenant(&settings, &name).await?;
            println!("{}", serde_json::to_string(&issued)?);
        }
        Command::Tenant {
            command: TenantCommand::AcceptIds { name, accepted },
        } => {
            let accepted =
                match accepted.trim() {
                    "all" => None,
                    json => Some(serde_json::from_str(json).context(
                        "the accepted IDs must be a JSON list of {countryCode, idTypes}",
                    )?),
                };
            admin::set_accepted_id_types(&settings, &name, accepted).await?;
        }
        Command::Tenant {
            command:
                TenantCommand::Screening {
                    name,
                    profile,
                    remove,
                    lists,
                    threshold,
                    search_status,
                    monitoring,
                },
        } => {
            let change = admin::ScreeningProfileChange {
                profile,
                remove,
                lists,
                threshold,
                search_status,
                monitoring,
            };
            let profile = admin::tenant_screening(&settings, &name, change).await?;
            println!("{}", serde_json::to_string(&profile)?);
        }
        Command::Tenant {
            command:
                TenantCommand::Retention {
                    name,
                    days,
                    forever,
                    delete_fraud,
                },
        } => {
            let change = admin::RetentionChange {
                days: if forever { Some(None) } else { days.map(Some) },
                delete_fraud,
            };
            let retention = admin::tenant_retention(&settings, &name, change).await?;
            println!("{}", serde_json::to_string(&retention)?);
        }
        Command::Tenant {
            command: TenantCommand::Callback { name, url },
        } => {
            let callback = admin::tenant_callback(&settings, &name, url.as_deref()).await?;
            println!("{}", serde_json::to_string(&callback)?);
        }
        Command::Credentials {
            command: CredentialsCommand::Create { tenant, scope },
        } => {
            let scopes = parse_scopes(&scope).map_err(anyhow::Error::msg)?;
            let issued = admin::create_credentials(&settings, &tenant, scopes).await?;
            println!("{}", serde_json::to_string(&issued)?);
        }
        Command::Inspect {
            front,
            back,
            selfie,
            country,
            id_type,
            explain,
        } => {
            let read = |path: &PathBuf| {
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
            };
            let request = verifyd_server::inspect::InspectRequest {
                front: read(&front)?,
                back: back.as_ref().map(read).transpose()?,
                selfie: selfie.as_ref().map(read).transpose()?,
                country,
                id_type,
                explain,
                now: SystemClock.now(),
            };
            let result = verifyd_server::inspect::inspect(&settings, request).await?;
            println!("{}", serde_json::to_string_pretty(&result)?);
        }
        Command::Migrate {
            from,
            to,
            blobs_from,
            blobs_to,
        } => {
            let blobs = blobs_from
                .zip(blobs_to)
                .map(|(from, to)| verifyd_server::migrate::BlobStores { from, to });
            let request = verifyd_server::migrate::MigrateRequest { from, to, blobs };
            let report = verifyd_server::migrate::migrate(&settings, request).await?;
            print!("{report}");
        }
        Command::Screening {
            command:
                ScreeningCommand::Import {
                    files,
                    list,
                    max_shrink,
                },
        } => {
            let request = verifyd_server::screening::ImportRequest {
                files,
                list,
                max_shrink,
            };
            print!(
                "{}",
                verifyd_server::screening::import(&settings, request).await?
            );
        }
        Command::Screening {
            command: ScreeningCommand::Lists,
        } => print!("{}", verifyd_server::screening::lists(&settings).await?),
        Command::Screening {
            command:
                ScreeningCommand::Search {
                    name,
                    dob,
                    nationality,
                },
        } => {
            let date_of_birth = dob
                .map(|dob| verifyd_server::screening::birth_date(&dob))
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let query = verifyd_domain::service::ScreeningQuery {
                name,
                date_of_birth,
                nationality,
                gender: None,
            };
            let report = verifyd_server::screening::search(&settings, query).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Command::Openapi | Command::InspectPdf => {}
    }
    Ok(())
}
