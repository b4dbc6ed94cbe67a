#pragma once
// A small JSON reader for the front-end settings a .tmn file carries as text
// (normalization.json: mean/std and the dataset's MFCC settings). Standard
// library only, since the runtime cannot use nlohmann-json on the device.
// Rejects malformed text with a tm2::Error naming the origin and byte offset.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace tm2::runtime {

class JsonValue {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind() const { return kind_; }
    bool isObject() const { return kind_ == Kind::Object; }
    bool isArray() const { return kind_ == Kind::Array; }
    bool isNumber() const { return kind_ == Kind::Number; }

    // Typed reads; `where` names the field in the error thrown on a wrong kind.
    double number(const std::string& where) const;
    int integer(const std::string& where) const;  // a whole number in int range
    bool boolean(const std::string& where) const;
    const std::string& string(const std::string& where) const;
    const std::vector<JsonValue>& array(const std::string& where) const;

    // Object member or null when absent (or when this is not an object).
    const JsonValue* find(const std::string& key) const;

    static JsonValue parse(const std::string& text, const std::string& origin);

private:
    friend class JsonParser;
    Kind kind_ = Kind::Null;
    bool bool_ = false;
    double number_ = 0.0;
    std::string string_;
    std::vector<JsonValue> items_;
    std::map<std::string, JsonValue> members_;
};

}  // namespace tm2::runtime
