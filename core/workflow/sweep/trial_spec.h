#pragma once
// The model a trial trains: the sweep's spec file or preset (else the dataset's
// default preset), with the trial's spec variants applied — the fusion kind and
// a branch's conv channel counts.

#include "core/model/model_spec.h"
#include "core/workflow/dataset_options.h"
#include "core/workflow/sweep/sweep_plan.h"

namespace tm2::sweep {

// An empty spec (no branches) when the trial changes nothing and names no spec:
// training then picks the preset for the dataset's modalities itself.
// Throws tm2::Error naming the parameter ("channels.audio: …") when a variant does not fit.
model::ModelSpec trialSpec(const TrialSettings& settings, const workflow::DatasetOptions& dataset);

}  // namespace tm2::sweep
