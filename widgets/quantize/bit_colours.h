#pragma once
// The colours of a bit width, shared by the bit table and the sensitivity bars
// so both read the same: 8 bits blue, 4 bits orange, 2 bits red, a pinned layer
// dark blue, anything else grey.

#include <QColor>

namespace tm2::gui {

inline QColor bitsColour(int bits) {
    if (bits >= 8) return QColor(0x9e, 0xc5, 0xfe);
    if (bits == 4) return QColor(0xff, 0xc0, 0x7a);
    if (bits == 2) return QColor(0xf0, 0x7e, 0x7e);
    return QColor(0xdd, 0xdd, 0xdd);
}

inline QColor pinnedColour() { return QColor(0x3d, 0x6f, 0xb6); }

}  // namespace tm2::gui
