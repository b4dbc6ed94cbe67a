#pragma once
// An MFCC heat map as a reader expects a spectrogram: time (s) along the
// bottom, the coefficient index up the left (c0 at the bottom), and a colour
// bar on the right. Each coefficient is scaled to its own range (c0 would
// otherwise flatten the rest), so the bar reads "that coefficient's min … max".

#include <QImage>
#include <QWidget>

#include "core/workflow/sample_preview.h"

namespace tm2::gui {

class MfccHeatmapView : public QWidget {
    Q_OBJECT
public:
    // `seconds_per_frame`: hop length / sample rate (0 = label frames instead of seconds).
    MfccHeatmapView(const workflow::Heatmap& map, double seconds_per_frame, QWidget* parent = nullptr);

    QSize sizeHint() const override { return {340, 190}; }
    QSize minimumSizeHint() const override { return {240, 150}; }
    const QImage& image() const { return image_; }
    // The axis titles and tick labels drawn (for tests).
    QStringList labels() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage image_;
    QImage colour_bar_;
    std::size_t rows_ = 0, cols_ = 0;
    double seconds_per_frame_ = 0;
};

}  // namespace tm2::gui
