#pragma once
// Builds a model from options; the one place that maps ModelKind to a network class.
#include "core/model/ser_model.h"

namespace ser {

// Validates the options, constructs the network with torch's default initialisation (seed it
// with torch::manual_seed first for reproducibility) and loads pretrained weights when given.
// The model is on the CPU, in training mode. Throws ParameterError / ser::Error.
SerModel makeModel(const ModelOptions& options);

}  // namespace ser
