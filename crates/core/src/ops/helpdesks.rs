//! The stored helpdesks and their settings as both front ends read them, and the one pick
//! only the user can make: which helpdesk owns the previous service's timesheets that several
//! could own. An unknown key is an error ([`OpError::NoSuchHelpdesk`]), never an empty answer.

use super::{OpError, Workspace};
use crate::sync::entries::InstanceKey;
use crate::ZammadInstance;

impl Workspace<'_> {
    /// Every stored helpdesk with its settings, by key.
    pub fn helpdesk_settings(&self) -> Result<Vec<ZammadInstance>, OpError> {
        Ok(self.store.instances()?)
    }

    /// Helpdesk `key` with its settings.
    pub fn helpdesk(&self, key: &InstanceKey) -> Result<ZammadInstance, OpError> {
        self.store
            .instance(key)?
            .ok_or_else(|| OpError::NoSuchHelpdesk(key.clone()))
    }

    /// Makes helpdesk `key` the owner of previous-service timesheets that several helpdesks
    /// could own (no `Zammad URL` line, or helpdesks on one host), and no other helpdesk.
    pub fn own_previous_timesheets(&self, key: &InstanceKey) -> Result<(), OpError> {
        self.helpdesk(key)?;
        for mut instance in self.store.instances()? {
            let owns = instance.key == *key;
            if instance.settings.owns_previous_ambiguous != owns {
                instance.settings.owns_previous_ambiguous = owns;
                self.store.save_instance(&instance)?;
            }
        }
        Ok(())
    }
}
