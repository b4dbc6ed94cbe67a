#include "core/quant/layer_pins.h"

#include "core/base/error.h"
#include "core/base/json_fields.h"

namespace tm2::quant {

namespace {

const EnumNames<PinGroup> kPinNames{
    {PinGroup::First, "first"}, {PinGroup::Head, "head"}, {PinGroup::Classifier, "classifier"}};

bool isClassifier(const NamedLayer& l) {
    return l.name == "classifier" || l.name == l.branch + ".classifier";
}

// "audio.3.dsconv2d.depthwise" → "audio.3": the spec layer a weight layer belongs to.
std::string specLayer(const std::string& name) {
    const auto first = name.find('.');
    if (first == std::string::npos) return name;
    const auto second = name.find('.', first + 1);
    return second == std::string::npos ? name : name.substr(0, second);
}

}  // namespace

PinGroup pinGroupFromString(const std::string& text) { return enumFromName(kPinNames, text, "--pin"); }
const char* toString(PinGroup group) { return enumName(kPinNames, group); }

std::map<std::string, int> pinnedLayerBits(const std::vector<NamedLayer>& layers, const std::set<PinGroup>& groups,
                                           int width, const std::map<std::string, int>& explicit_pins) {
    std::map<std::string, int> pins;
    std::map<std::string, std::string> first_of_branch;  // branch → its first spec layer
    for (const NamedLayer& l : layers) {
        if (l.branch == "head" || isClassifier(l)) continue;
        first_of_branch.emplace(l.branch, specLayer(l.name));
    }
    for (const NamedLayer& l : layers) {
        const bool first = groups.count(PinGroup::First) && !isClassifier(l) && l.branch != "head" &&
                           first_of_branch.at(l.branch) == specLayer(l.name);
        const bool head = groups.count(PinGroup::Head) && (l.branch == "head" || isClassifier(l));
        const bool classifier = groups.count(PinGroup::Classifier) && isClassifier(l);
        if (first || head || classifier) pins[l.name] = width;
    }
    for (const auto& [name, bits] : explicit_pins) {
        bool found = false;
        for (const NamedLayer& l : layers) found = found || l.name == name;
        if (!found) throw Error("pin: no layer '" + name + "'");
        pins[name] = bits;
    }
    return pins;
}

}  // namespace tm2::quant
