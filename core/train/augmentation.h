#pragma once
// Training-time augmentation of single log-mel clips. Torch-free; every random draw comes from
// the caller's generator, so a fixed seed gives a fixed sequence.
#include <random>

#include "core/features/feature_matrix.h"
#include "core/train/trainer_options.h"

namespace ser {

// Gain of `db` decibels on natural-log mel power: adds db * ln(10) / 10 to every cell.
void applyGain(FeatureMatrix& clip, double db);

// SpecAugment time and frequency masks; masked cells are set to the clip's mean value.
void applySpecAugment(FeatureMatrix& clip, const SpecAugmentOptions& options, std::mt19937& rng);

// Adds N(0, stddev^2) to every cell; no-op for stddev 0.
void addGaussianNoise(FeatureMatrix& clip, double stddev, std::mt19937& rng);

// A mixup weight lambda ~ Beta(alpha, alpha), alpha > 0.
double sampleMixupLambda(double alpha, std::mt19937& rng);

}  // namespace ser
