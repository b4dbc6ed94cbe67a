#pragma once
// Turning core preview data into QImages: a [0, 1] heat map through a
// viridis-like colour map (first row at the bottom, like a spectrogram) and a
// C×H×W [0, 1] image tensor (1 or 3 channels).

#include <QImage>

#include "core/base/tensor.h"
#include "core/workflow/sample_preview.h"

namespace tm2::gui {

QRgb colourMap(float value);  // 0 → dark violet, 1 → yellow
QImage heatmapImage(const workflow::Heatmap& map);
QImage imageFromTensor(const Tensor& chw);

}  // namespace tm2::gui
