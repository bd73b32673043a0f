//! Every model of every provider set up, for the picker: fetched from each provider's
//! `/models`, kept in memory and in a file in the data folder (so the picker opens at
//! once after a restart), and fetched again when older than a few hours or asked to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use foxtail_engine::{ChatRequest, Client, ModelFacts, Pricing};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::keys::Keys;
use crate::profile::prepare_with;
use crate::settings::Settings;
use crate::ErrorReport;

pub const FILE_NAME: &str = "models-cache.json";

/// Lists change when a provider adds a model or a price, which is rare within a day.
const FRESH_FOR_S: u64 = 6 * 3600;

/// A model in the picker: what its provider's list says of it; `None` where it says
/// nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CatalogModel {
    pub provider: String,
    pub id: String,
    pub name: Option<String>,
    #[ts(type = "number | null")]
    pub context_length: Option<u64>,
    pub image_input: Option<bool>,
    pub tools: Option<bool>,
    pub reasoning: Option<bool>,
    pub pricing: Option<Pricing>,
}

impl CatalogModel {
    pub fn from_facts(provider: &str, facts: ModelFacts) -> Self {
        CatalogModel {
            provider: provider.to_owned(),
            id: facts.id,
            name: facts.name,
            context_length: facts.context_length,
            image_input: facts.image_input,
            tools: facts.tools,
            reasoning: facts.reasoning,
            pricing: facts.pricing,
        }
    }
}

/// A provider whose list could not be had, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CatalogProblem {
    pub provider: String,
    pub error: ErrorReport,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ModelCatalog {
    /// In the order of the providers set up, each provider's models sorted by id.
    pub models: Vec<CatalogModel>,
    pub problems: Vec<CatalogProblem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Listed {
    /// The address the list came from: a list of another address is not this one's.
    base_url: String,
    fetched_at_s: u64,
    models: Vec<CatalogModel>,
}

pub struct Catalog {
    file: Option<PathBuf>,
    listed: Mutex<HashMap<String, Listed>>,
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl Catalog {
    /// A catalog kept in `data_dir` (`None`: in memory only). An unreadable file is
    /// as good as none: it only saves a fetch.
    pub fn open(data_dir: Option<&Path>) -> Self {
        let file = data_dir.map(|dir| dir.join(FILE_NAME));
        let listed = file
            .as_deref()
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Catalog {
            file,
            listed: Mutex::new(listed),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Listed>> {
        self.listed.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn save(&self) {
        let Some(path) = &self.file else { return };
        let json = serde_json::to_vec(&*self.lock()).unwrap_or_default();
        // A cache that cannot be written costs a fetch at the next start, nothing more.
        let _ = crate::files::write_private(path, &json);
    }

    fn cached(&self, provider: &str, base_url: &str, fresh: bool) -> Option<Vec<CatalogModel>> {
        let listed = self.lock();
        let entry = listed.get(provider)?;
        let usable = entry.base_url == base_url
            && (!fresh || now_s().saturating_sub(entry.fetched_at_s) < FRESH_FOR_S);
        usable.then(|| entry.models.clone())
    }

    fn store(&self, provider: &str, base_url: &str, models: Vec<CatalogModel>) {
        self.lock().insert(
            provider.to_owned(),
            Listed {
                base_url: base_url.to_owned(),
                fetched_at_s: now_s(),
                models,
            },
        );
        self.save();
    }

    async fn fetch(
        &self,
        provider: &str,
        client: &Client,
        request: &ChatRequest,
    ) -> Result<Vec<CatalogModel>, crate::AppError> {
        let facts = client
            .model_facts(&request.base_url, request.protocol, &request.extra_headers)
            .await?;
        let models: Vec<CatalogModel> = facts
            .into_iter()
            .map(|facts| CatalogModel::from_facts(provider, facts))
            .collect();
        self.store(provider, &request.base_url, models.clone());
        Ok(models)
    }

    /// The models of every provider set up. `refresh` fetches every list again; else
    /// a list fetched in the last hours is used as it is. A provider whose list cannot
    /// be had is named in `problems`, and its older list, if any, is still offered.
    pub async fn all(&self, settings: &Settings, keys: &Keys, refresh: bool) -> ModelCatalog {
        let lists = settings.providers.iter().map(|setup| async move {
            let chat = settings.for_chat(Some(&setup.id), None, None);
            if !refresh {
                if let Some(models) = self.cached(&setup.id, &chat.base_url, true) {
                    return (models, None);
                }
            }
            let fetched = match prepare_with(&chat, keys, |_| {}) {
                Ok(prepared) => {
                    self.fetch(&setup.id, &prepared.client, &prepared.request)
                        .await
                }
                Err(err) => Err(err),
            };
            match fetched {
                Ok(models) => (models, None),
                Err(err) => (
                    self.cached(&setup.id, &chat.base_url, false)
                        .unwrap_or_default(),
                    Some(CatalogProblem {
                        provider: setup.id.clone(),
                        error: err.report(),
                    }),
                ),
            }
        });
        let mut catalog = ModelCatalog {
            models: Vec::new(),
            problems: Vec::new(),
        };
        for (mut models, problem) in futures_util::future::join_all(lists).await {
            models.sort_by(|a, b| a.id.cmp(&b.id));
            catalog.models.extend(models);
            catalog.problems.extend(problem);
        }
        catalog
    }

    /// What the last list of `provider` (from `base_url`) says of `model`, however old;
    /// `None` without a list that names it. Never fetches.
    pub fn listed(&self, provider: &str, base_url: &str, model: &str) -> Option<CatalogModel> {
        self.cached(provider, base_url, false)?
            .into_iter()
            .find(|m| m.id == model)
    }

    /// What the list of the request's provider says of its model: from the cache, or
    /// fetched with the answer's own client when there is none. `None` when the list
    /// cannot be had or does not name the model.
    pub async fn model(
        &self,
        provider: &str,
        client: &Client,
        request: &ChatRequest,
    ) -> Option<CatalogModel> {
        let models = match self.cached(provider, &request.base_url, true) {
            Some(models) => models,
            None => self.fetch(provider, client, request).await.ok()?,
        };
        models.into_iter().find(|m| m.id == request.model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Set up already (so OfoxAI, the default, stays among the providers, keyless),
    /// with a local server at `url` in use.
    fn settings_for(url: &str) -> Settings {
        Settings {
            setup_done: true,
            ..Settings::default()
        }
        .with(
            json!({"provider": "ollama", "protocol": "openai", "base_url": url})
                .as_object()
                .unwrap()
                .clone(),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn lists_come_from_every_provider_and_are_kept_across_a_restart() {
        use foxtail_mock_gateway::{script, MockGateway};
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::new(foxtail_keychain::Keychain::new("foxtail-test-catalog"));
        let settings = settings_for(&gateway.url());

        let catalog = Catalog::open(Some(dir.path()));
        let listed = catalog.all(&settings, &keys, false).await;
        // ofox has no key here (or no keychain): it is a problem, and ollama's list
        // still comes.
        assert_eq!(listed.problems.len(), 1, "{:?}", listed.problems);
        assert_eq!(listed.problems[0].provider, "ofox");
        let ids: Vec<_> = listed.models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["mock/alpha", "mock/beta"]);
        let alpha = &listed.models[0];
        assert_eq!(alpha.provider, "ollama");
        assert_eq!(alpha.context_length, Some(128_000));
        assert!(alpha.pricing.is_some(), "the mock publishes prices");
        let fetched = gateway.requests().len();

        // A restart reads the file: no fetch.
        let again = Catalog::open(Some(dir.path()));
        let listed = again.all(&settings, &keys, false).await;
        assert_eq!(listed.models.len(), 2);
        assert_eq!(gateway.requests().len(), fetched);
        // Asked to refresh, it fetches.
        again.all(&settings, &keys, true).await;
        assert_eq!(gateway.requests().len(), fetched + 1);

        // Another address is another list.
        let other = settings_for("http://127.0.0.1:9/v1");
        let listed = again.all(&other, &keys, false).await;
        assert!(listed.models.is_empty());
        assert!(listed.problems.iter().any(|p| p.provider == "ollama"));
    }

    #[test]
    fn a_corrupt_cache_file_is_as_good_as_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        let catalog = Catalog::open(Some(dir.path()));
        assert!(catalog.lock().is_empty());
    }
}
