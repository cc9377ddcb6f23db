'use client';

// The forms the setup checklist opens in place: the tabs' own components, fetched when a step opens,
// not with the overview (its first load stays light).
import dynamic from 'next/dynamic';

function Loading() {
  return <p className="min-h-24 text-sm text-slate-600">Loading the form…</p>;
}

export const AddHeaderForm = dynamic(() => import('@/components/headers/add-header-form').then((m) => m.AddHeaderForm), { ssr: false, loading: Loading });
export const ImportDocumentForm = dynamic(() => import('@/components/api-actions/import-document-form').then((m) => m.ImportDocumentForm), { ssr: false, loading: Loading });
export const ModelForm = dynamic(() => import('@/components/model/model-form').then((m) => m.ModelForm), { ssr: false, loading: Loading });
export const GeneralSettingsForm = dynamic(() => import('@/components/copilots/general-settings-form').then((m) => m.GeneralSettingsForm), { ssr: false, loading: Loading });
export const PreviewPanel = dynamic(() => import('@/components/preview/preview-panel').then((m) => m.PreviewPanel), { ssr: false, loading: Loading });
