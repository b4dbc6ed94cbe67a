#include "widgets/quantize/bit_assignment_table.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QFontMetrics>
#include <QHeaderView>

namespace tm2::gui {
namespace {

nlohmann::json twoLayers(bool with_omega2) {
    nlohmann::json omega = {{"4", 1e-4}, {"8", 1e-6}};
    if (with_omega2) omega["2"] = 3e-3;
    return nlohmann::json::array(
        {{{"name", "audio.6.dsconv2d.pointwise"}, {"branch", "audio"}, {"params", 512}, {"macs", 4096},
          {"hessian_trace", 0.3}, {"omega", omega}, {"bits", 8}},
         {{"name", "head.fc"}, {"branch", "head"}, {"params", 640}, {"macs", 640},
          {"hessian_trace", 0.01}, {"omega", omega}, {"bits", 4}}});
}

int columnOf(const BitAssignmentTable& table, const QString& header) {
    for (int c = 0; c < table.columnCount(); ++c)
        if (table.horizontalHeaderItem(c)->text() == header) return c;
    return -1;
}

TEST(BitAssignmentTable, TheOmegaTwoColumnShowsOnlyWhenAPlanAllowedTwoBits) {
    BitAssignmentTable table;
    const int omega2 = columnOf(table, QString::fromUtf8("Ω(2)"));
    ASSERT_GE(omega2, 0);
    EXPECT_TRUE(table.isColumnHidden(omega2));  // nothing shown yet
    table.setLayers(twoLayers(false));
    EXPECT_TRUE(table.isColumnHidden(omega2));
    table.setLayers(twoLayers(true));
    EXPECT_FALSE(table.isColumnHidden(omega2));
}

// At a laptop's width the layer names are not cut short: the table scrolls sideways instead.
TEST(BitAssignmentTable, LayerNamesKeepTheirFullWidthInANarrowTable) {
    BitAssignmentTable table;
    table.setLayers(twoLayers(true));
    table.resize(420, 200);
    table.show();
    QApplication::processEvents();
    const int needed = QFontMetrics(table.font()).horizontalAdvance("audio.6.dsconv2d.pointwise");
    EXPECT_GE(table.columnWidth(columnOf(table, "Layer")), needed);
}

}  // namespace
}  // namespace tm2::gui
