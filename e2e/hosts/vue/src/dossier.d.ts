// The elements' types for Vue templates (GlobalComponents).
import '@dossier-crm/elements/vue';
