//! Ties the objects of a release together the way the cluster would: a StatefulSet's governing
//! Service by `spec.serviceName`, the Services whose selector reaches its pods, and the
//! ConfigMaps, Secrets and ServiceAccount its pods name (found in the paste or dangling).

use crate::model::{references, selectors, ReferenceKind};

use super::assemble::Builder;

impl Builder<'_> {
    pub fn link(&mut self) {
        let release = &mut self.release;
        let default_ns = release.namespace().to_string();
        // Objects without a namespace land in the release's (helm --namespace, else default).
        let ns_of = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            m.namespace.clone().unwrap_or_else(|| default_ns.clone())
        };
        let mut notes = Vec::new();
        for sts in &mut release.statefulsets {
            let ns = ns_of(&sts.object.metadata);
            let here = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta, name: &str| {
                m.name.as_deref() == Some(name) && ns_of(m) == ns
            };
            let spec = sts.object.spec.as_ref();
            let service_name = spec.and_then(|s| s.service_name.clone()).filter(|s| !s.is_empty());
            sts.governing_service = service_name
                .as_ref()
                .and_then(|name| release.services.iter().find(|s| here(&s.metadata, name)).cloned());
            let labels =
                spec.and_then(|s| s.template.metadata.as_ref()).and_then(|m| m.labels.clone()).unwrap_or_default();
            sts.selecting_services = release
                .services
                .iter()
                .filter(|s| ns_of(&s.metadata) == ns && selectors::service_selects(s, &labels))
                .cloned()
                .collect();
            sts.references = spec.and_then(|s| s.template.spec.as_ref()).map(references::collect).unwrap_or_default();
            for r in &mut sts.references {
                r.found = match r.kind {
                    ReferenceKind::ConfigMap => release.config_maps.iter().any(|c| here(&c.metadata, &r.name)),
                    ReferenceKind::Secret => release.secrets.iter().any(|c| here(&c.metadata, &r.name)),
                    // Every namespace has a `default` ServiceAccount.
                    ReferenceKind::ServiceAccount => {
                        r.name == "default" || release.service_accounts.iter().any(|c| here(&c.metadata, &r.name))
                    }
                };
            }
            if let Some(name) = service_name {
                let line = sts.line;
                match sts.governing_service_headless() {
                    None => notes.push((line, format!("StatefulSet `{}`: its governing Service `{name}` is not in the paste (pods get DNS names only once it exists)", sts.name()))),
                    Some(false) => notes.push((line, format!("StatefulSet `{}`: its governing Service `{name}` is not headless (`clusterIP: None`), so pods get no per-pod DNS records", sts.name()))),
                    Some(true) => {}
                }
            }
        }
        for (line, message) in notes {
            self.warning(line, 1, message);
        }
    }
}
