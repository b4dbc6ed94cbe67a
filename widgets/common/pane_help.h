#pragma once
// The "What these figures mean" text of each pane (HelpPanel), in one place so
// the terms read the same across panes: Tr(H), Ω, α, BOPS, steps,
// integer-exact vs fake-quant, the arena, weight bytes, parameter counts.

#include <QString>

namespace tm2::gui::help {

QString dataset();
QString network();
QString train();
QString compare();
QString quantize();
QString benchmark();
QString experiments();

}  // namespace tm2::gui::help
