#include "io/scene_file.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <array>
#include <charconv>
#include <cstdlib>
#include <cmath>
#include <limits>
#include <utility>

#include "io/mixture_json.hpp"
#include "io/text_file.hpp"

namespace scorescope::io {
namespace {

// ---- Names of the enums that have none in core (the CLI spells them the same way) ----------

template <typename E>
using NameTable = std::initializer_list<std::pair<E, const char*>>;

const NameTable<GridSpacing> kSpacingNames = {{GridSpacing::Uniform, "uniform"}, {GridSpacing::Karras, "karras"}};
const NameTable<DdpmVariance> kVarianceNames = {{DdpmVariance::PosteriorBeta, "posterior"}, {DdpmVariance::Beta, "beta"}};
const NameTable<GuidanceKind> kGuidanceNames = {{GuidanceKind::None, "none"},
                                                {GuidanceKind::Conditional, "conditional"},
                                                {GuidanceKind::Classifier, "classifier"},
                                                {GuidanceKind::ClassifierFree, "cfg"}};
const NameTable<NetworkRole> kRoleNames = {{NetworkRole::Score, "score"}, {NetworkRole::Classifier, "classifier"}};
const NameTable<TargetSource> kSourceNames = {
    {TargetSource::Preset, "preset"}, {TargetSource::Mixture, "mixture"}, {TargetSource::PointCloud, "points"}};

template <typename E>
QString tableName(const NameTable<E>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <typename E>
QString tableChoices(const NameTable<E>& table) {
  QStringList names;
  for (const auto& entry : table) names << entry.second;
  return names.join(", ");
}

// What a value is, for "expected X, got Y" (never the value itself when it may be huge).
QString describe(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return v.toBool() ? "true" : "false";
    case QJsonValue::Double: {
      // Short, as %.6g ("0", "2.5", "1e+308"); an integer the way it was written up to 1e21, so
      // a seed above 2^53 reads back as its text (JSON numbers keep about 17 digits).
      const double d = v.toDouble();
      if (d == std::floor(d) && std::abs(d) < 1e21) return QString::number(d, 'f', 0);
      return QString::number(d, 'g', 6);
    }
    case QJsonValue::String: return "\"" + clip(v.toString(), 40) + "\"";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: break;
  }
  return "nothing";
}

QString expectedGot(const QString& what, const QJsonValue& v) { return "expected " + what + ", got " + describe(v); }

// ---- One encode/decode pair per field type. decode returns why the value is refused, or "" ---

QJsonValue encode(bool v) { return v; }
QString decode(const QJsonValue& j, bool& out) {
  if (!j.isBool()) return expectedGot("true or false", j);
  out = j.toBool();
  return {};
}

QJsonValue encode(int v) { return v; }
QString decode(const QJsonValue& j, int& out) {
  const double d = j.toDouble(std::numeric_limits<double>::quiet_NaN());
  if (!j.isDouble() || d != std::floor(d) || std::abs(d) > std::numeric_limits<int>::max()) {
    return expectedGot("an integer", j);
  }
  out = static_cast<int>(d);
  return {};
}

QJsonValue encode(long long v) { return static_cast<double>(v); }
QString decode(const QJsonValue& j, long long& out) {
  const double d = j.toDouble(std::numeric_limits<double>::quiet_NaN());
  if (!j.isDouble() || d != std::floor(d) || std::abs(d) > 9007199254740992.0) return expectedGot("an integer", j);
  out = static_cast<long long>(d);
  return {};
}

QJsonValue encode(double v) { return v; }
QString decode(const QJsonValue& j, double& out) {
  if (!j.isDouble()) return expectedGot("a number", j);
  out = j.toDouble();
  return {};
}

// The shortest decimal that reads back as the same float: 0.65f is written 0.65, not
// 0.64999997615814209 (its exact double value).
QJsonValue encode(float v) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, v).ptr;
  *end = '\0';
  return std::strtod(text, nullptr);
}
QString decode(const QJsonValue& j, float& out) {
  if (!j.isDouble() || !(std::abs(j.toDouble()) <= std::numeric_limits<float>::max())) return expectedGot("a number", j);
  out = static_cast<float>(j.toDouble());
  return {};
}

// Seeds reach 2^62, past a JSON number's exact integers (2^53): written as a number when exact,
// else as a decimal string; either is read.
QJsonValue encode(std::uint64_t v) {
  if (v <= (std::uint64_t(1) << 53)) return static_cast<double>(v);
  return QString::number(v);
}
QString decode(const QJsonValue& j, std::uint64_t& out) {
  const QString what = "an integer in [0, 2^62] (a number, or a decimal string above 2^53)";
  if (j.isDouble() && j.toDouble() > 9007199254740992.0 && j.toDouble() == std::floor(j.toDouble())) {
    return expectedGot(what, j) + " (a JSON number above 2^53 is not exact: write it as a string)";
  }
  if (j.isString()) {
    bool ok = false;
    const qulonglong v = j.toString().toULongLong(&ok, 10);
    if (!ok) return expectedGot(what, j);
    out = v;
    return {};
  }
  const double d = j.toDouble(-1.0);
  if (!j.isDouble() || d < 0.0 || d != std::floor(d) || d > 9007199254740992.0) return expectedGot(what, j);
  out = static_cast<std::uint64_t>(d);
  return {};
}

QJsonValue encode(const std::vector<double>& v) {
  QJsonArray a;
  for (double x : v) a.append(x);
  return a;
}
QString decode(const QJsonValue& j, std::vector<double>& out) {
  if (!j.isArray()) return expectedGot("an array of numbers", j);
  std::vector<double> values;
  for (const QJsonValue& x : j.toArray()) {
    if (!x.isDouble()) return "expected an array of numbers, got an element " + describe(x);
    values.push_back(x.toDouble());
  }
  out = std::move(values);
  return {};
}

template <typename E>
QJsonValue encodeNamed(const NameTable<E>& table, E v) { return tableName(table, v); }
template <typename E>
QString decodeNamed(const NameTable<E>& table, const QJsonValue& j, E& out) {
  for (const auto& [e, name] : table) {
    if (j.toString() == QLatin1String(name) && j.isString()) {
      out = e;
      return {};
    }
  }
  return expectedGot("one of " + tableChoices(table), j);
}

// Enums named in core.
template <typename E>
QString decodeCoreNamed(const QJsonValue& j, E& out, bool (*parse)(std::string_view, E&), const QString& choices) {
  if (j.isString() && parse(j.toString().toStdString(), out)) return {};
  return expectedGot("one of " + choices, j);
}

QJsonValue encode(GridSpacing v) { return encodeNamed(kSpacingNames, v); }
QString decode(const QJsonValue& j, GridSpacing& out) { return decodeNamed(kSpacingNames, j, out); }
QJsonValue encode(DdpmVariance v) { return encodeNamed(kVarianceNames, v); }
QString decode(const QJsonValue& j, DdpmVariance& out) { return decodeNamed(kVarianceNames, j, out); }
QJsonValue encode(GuidanceKind v) { return encodeNamed(kGuidanceNames, v); }
QString decode(const QJsonValue& j, GuidanceKind& out) { return decodeNamed(kGuidanceNames, j, out); }
QJsonValue encode(NetworkRole v) { return encodeNamed(kRoleNames, v); }
QString decode(const QJsonValue& j, NetworkRole& out) { return decodeNamed(kRoleNames, j, out); }

QJsonValue encode(ProcessKind v) { return QString::fromUtf8(processName(v).data(), processName(v).size()); }
QString decode(const QJsonValue& j, ProcessKind& out) {
  return decodeCoreNamed(j, out, &parseProcessKind, "ddpm, ddpm-cosine, vp, subvp, ve, ou");
}
QJsonValue encode(SamplerKind v) { return QString::fromUtf8(samplerName(v).data(), samplerName(v).size()); }
QString decode(const QJsonValue& j, SamplerKind& out) {
  return decodeCoreNamed(j, out, &parseSamplerKind, QString::fromStdString(samplerNames()));
}
QJsonValue encode(ScoreSource v) { return QString::fromUtf8(scoreSourceName(v).data(), scoreSourceName(v).size()); }
QString decode(const QJsonValue& j, ScoreSource& out) { return decodeCoreNamed(j, out, &parseScoreSource, "exact, learned, both"); }
QJsonValue encode(TrainingLoss v) { return QString::fromUtf8(lossName(v).data(), lossName(v).size()); }
QString decode(const QJsonValue& j, TrainingLoss& out) { return decodeCoreNamed(j, out, &parseLoss, "eps, x0, score, v, ncsn"); }
QJsonValue encode(LearningRateSchedule v) { return QString::fromUtf8(scheduleName(v).data(), scheduleName(v).size()); }
QString decode(const QJsonValue& j, LearningRateSchedule& out) {
  return decodeCoreNamed(j, out, &parseSchedule, "constant, cosine");
}

// Lessons are numbered in the app (menus, --lesson), so the file uses the number.
QJsonValue encode(Lesson v) { return static_cast<int>(v); }
QString decode(const QJsonValue& j, Lesson& out) {
  int n = 0;
  if (!decode(j, n).isEmpty() || n < 1 || n > kLessonCount) {
    return expectedGot("a lesson number in [1, " + QString::number(kLessonCount) + "]", j);
  }
  out = static_cast<Lesson>(n);
  return {};
}

// ---- Small objects. Their unknown keys are warnings, like the scene's own. -----------------

// Decoders of objects see the warning list and their own path through these, set around each
// field's decode (the scalar decoders, the many, need neither).
thread_local QStringList* gWarnings = nullptr;
thread_local QString gPath;

void warnUnknownKeys(const QJsonObject& object, const QStringList& known, const QString& path) {
  if (!gWarnings) return;
  for (const QString& key : object.keys()) {
    if (!known.contains(key)) *gWarnings << path + "." + clip(key) + ": unknown field, ignored";
  }
}

QString decodePoint(const QJsonValue& j, double& x, double& y) {
  const QJsonArray a = j.toArray();
  if (!j.isArray() || a.size() != 2 || !a[0].isDouble() || !a[1].isDouble()) return expectedGot("[x, y]", j);
  x = a[0].toDouble();
  y = a[1].toDouble();
  return {};
}

QJsonValue encode(const Camera& c) {
  return QJsonObject{{"centre", QJsonArray{c.centreX, c.centreY}}, {"halfExtent", c.halfExtent}};
}
QString decode(const QJsonValue& j, Camera& out) {
  if (!j.isObject()) return expectedGot("an object {centre: [x, y], halfExtent}", j);
  const QJsonObject o = j.toObject();
  warnUnknownKeys(o, {"centre", "halfExtent"}, gPath);
  Camera c = out;
  if (o.contains("centre")) {
    if (QString why = decodePoint(o["centre"], c.centreX, c.centreY); !why.isEmpty()) return "centre: " + why;
  }
  if (o.contains("halfExtent")) {
    if (QString why = decode(o["halfExtent"], c.halfExtent); !why.isEmpty()) return "halfExtent: " + why;
  }
  out = c;
  return {};
}

// ode-rk45's step cap is the sampler's `steps` (runSampler ignores rk45.maxSteps): a file's
// maxSteps, written by earlier versions, is a warning and is not applied.
QJsonValue encode(const Rk45Options& r) { return QJsonObject{{"rtol", r.rtol}, {"atol", r.atol}}; }
QString decode(const QJsonValue& j, Rk45Options& out) {
  if (!j.isObject()) return expectedGot("an object {rtol, atol}", j);
  const QJsonObject o = j.toObject();
  warnUnknownKeys(o, {"rtol", "atol", "maxSteps"}, gPath);
  if (o.contains("maxSteps") && gWarnings) {
    *gWarnings << gPath + ".maxSteps: no longer used (ode-rk45 takes at most " +
                      gPath.section('.', 0, -2) + ".steps steps), ignored";
  }
  Rk45Options r = out;
  if (o.contains("rtol")) {
    if (QString why = decode(o["rtol"], r.rtol); !why.isEmpty()) return "rtol: " + why;
  }
  if (o.contains("atol")) {
    if (QString why = decode(o["atol"], r.atol); !why.isEmpty()) return "atol: " + why;
  }
  out = r;
  return {};
}

// The target: {"source": "preset", "preset": "two-moons"}, {"source": "mixture", "components":
// [...as in mixture files...]} or {"source": "points", "points": [[x, y], ...], "labels": [...]}.
QJsonValue encode(const TargetSpec& t) {
  QJsonObject o{{"source", tableName(kSourceNames, t.source)}};
  switch (t.source) {
    case TargetSource::Preset: o["preset"] = QString::fromStdString(t.preset); break;
    case TargetSource::Mixture: {
      QJsonArray components;
      for (const MixtureComponent& c : t.components) {
        components.append(QJsonObject{{"weight", c.weight},
                                      {"mean", QJsonArray{c.mean.x(), c.mean.y()}},
                                      {"cov", QJsonArray{QJsonArray{c.cov(0, 0), c.cov(0, 1)}, QJsonArray{c.cov(1, 0), c.cov(1, 1)}}},
                                      {"label", c.label}});
      }
      o["components"] = components;
      break;
    }
    case TargetSource::PointCloud: {
      QJsonArray points, labels;
      for (const Eigen::Vector2d& p : t.points) points.append(QJsonArray{p.x(), p.y()});
      for (int l : t.labels) labels.append(l);
      o["points"] = points;
      o["labels"] = labels;
      break;
    }
  }
  return o;
}
QString decode(const QJsonValue& j, TargetSpec& out) {
  if (!j.isObject()) return expectedGot("an object {source, preset | components | points}", j);
  const QJsonObject o = j.toObject();
  TargetSpec t;
  if (QString why = decodeNamed(kSourceNames, o["source"], t.source); !why.isEmpty()) return "source: " + why;
  switch (t.source) {
    case TargetSource::Preset:
      warnUnknownKeys(o, {"source", "preset"}, gPath);
      if (!o["preset"].isString()) return "preset: " + expectedGot("a target name", o["preset"]);
      t.preset = o["preset"].toString().toStdString();
      break;
    case TargetSource::Mixture: {
      warnUnknownKeys(o, {"source", "components"}, gPath);
      // The mixture file reader checks every component (and refuses unknown keys in them).
      QString why;
      const QByteArray doc = QJsonDocument(QJsonObject{{"components", o["components"]}}).toJson(QJsonDocument::Compact);
      auto components = parseMixtureJson(doc, why);
      if (!components) return why;
      t.components = std::move(*components);
      break;
    }
    case TargetSource::PointCloud: {
      warnUnknownKeys(o, {"source", "points", "labels"}, gPath);
      if (!o["points"].isArray()) return "points: " + expectedGot("an array of [x, y]", o["points"]);
      const QJsonArray points = o["points"].toArray();
      if (points.size() > kMaxParticles) return QStringLiteral("points: expected at most %1 points").arg(kMaxParticles);
      for (qsizetype i = 0; i < points.size(); ++i) {
        double x = 0.0, y = 0.0;
        if (QString why = decodePoint(points[i], x, y); !why.isEmpty()) return QStringLiteral("points[%1]: ").arg(i) + why;
        t.points.emplace_back(x, y);
      }
      if (o.contains("labels")) {
        if (!o["labels"].isArray()) return "labels: " + expectedGot("an array of integers", o["labels"]);
        const QJsonArray labels = o["labels"].toArray();
        for (qsizetype i = 0; i < labels.size(); ++i) {
          int label = 0;
          if (QString why = decode(labels[i], label); !why.isEmpty()) return QStringLiteral("labels[%1]: ").arg(i) + why;
          t.labels.push_back(label);
        }
      } else {
        t.labels.assign(t.points.size(), 0);
      }
      if (t.points.empty()) return "points: expected at least one point";
      break;
    }
  }
  out = std::move(t);
  return {};
}

// ---- Paths in the nested object ------------------------------------------------------------

void setPath(QJsonObject& root, const QStringList& parts, qsizetype at, const QJsonValue& value) {
  if (at + 1 == parts.size()) {
    root[parts[at]] = value;
    return;
  }
  QJsonObject child = root[parts[at]].toObject();
  setPath(child, parts, at + 1, value);
  root[parts[at]] = child;
}

// The value at `parts`, Undefined when absent; `error` set when a step on the way is no object.
QJsonValue getPath(const QJsonObject& root, const QStringList& parts, QString& error) {
  QJsonObject object = root;
  for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
    const QJsonValue next = object.value(parts[i]);
    if (next.isUndefined()) return QJsonValue(QJsonValue::Undefined);
    if (!next.isObject()) {
      error = parts.mid(0, i + 1).join('.') + ": " + expectedGot("an object", next);
      return QJsonValue(QJsonValue::Undefined);
    }
    object = next.toObject();
  }
  return object.value(parts.last());
}

// Leaf paths of the scene and every object on the way to one.
struct KnownPaths {
  QSet<QString> leaves, objects;
};
KnownPaths knownPaths() {
  KnownPaths known;
  Scene s;
  visitSceneFields(s, s, [&](const std::string& path, const auto&, const auto&) {
    const QString p = QString::fromStdString(path);
    known.leaves.insert(p);
    for (qsizetype dot = p.indexOf('.'); dot >= 0; dot = p.indexOf('.', dot + 1)) known.objects.insert(p.left(dot));
  });
  return known;
}

void warnUnknownPaths(const QJsonObject& object, const QString& prefix, const KnownPaths& known, QStringList& warnings) {
  for (const QString& key : object.keys()) {
    const QString path = prefix.isEmpty() ? key : prefix + "." + key;
    if (prefix.isEmpty() && (key == "format" || key == "version" || key == "title")) continue;
    if (known.leaves.contains(path)) continue;
    if (known.objects.contains(path) && object[key].isObject()) {
      warnUnknownPaths(object[key].toObject(), path, known, warnings);
    } else if (!known.objects.contains(path)) {
      warnings << clip(path, 80) + ": unknown field, ignored";
    }
  }
}

// The validators name a field their own way ("particles: expected ...", "camera.halfExtent:
// ..."); a file's reader wants the JSON path. Candidates are the fields whose default makes the
// message change; of those, the one whose path ends with the validator's name for it (or names
// its first part) wins, since a field checked only in context (lesson 4's comparison sampler) also
// changes the message when the context (the lesson) is reset. The message keeps its "expected
// ..., got ..." under that path; a target's message already names its sub-path
// ("target.components[1].weight: ...").
QString normalised(QString name) { return name.toLower().remove('-').remove('_'); }

QString locateInvalidField(const Scene& scene, const std::string& message,
                           std::string (*validate)(const Scene&)) {
  const QString text = QString::fromStdString(message);
  const qsizetype colon = text.indexOf(": ");
  const QString named = normalised(text.left(colon));
  // A validator that names the field by its JSON path ("sampler.kind") is taken at its word.
  QString exact;
  Scene plain;
  visitSceneFields(plain, plain, [&](const std::string& path, const auto&, const auto&) {
    const QString p = QString::fromStdString(path);
    if (colon > 0 && exact.isEmpty() && (p == "sampled." + text.left(colon) || p == "display." + text.left(colon))) exact = p;
  });
  if (!exact.isEmpty()) return exact + text.mid(colon);
  QStringList candidates;
  Scene defaults;
  Scene probe = scene;
  visitSceneFields(probe, defaults, [&](const std::string& path, auto& field, auto& fallback) {
    auto kept = field;
    field = fallback;
    if (validate(probe) != message) candidates << QString::fromStdString(path);
    field = kept;
  });
  if (candidates.isEmpty() || colon < 0) return "scene: " + text;
  QString located = candidates.front();
  for (const QString& c : candidates) {
    if (normalised(c).endsWith(named)) {
      located = c;
      break;
    }
    if (normalised(c).contains(named.section('.', 0, 0))) located = c;
  }
  if (located == "sampled.target") {
    // "target: unknown 'moons'" is about the preset's name; the rest name their sub-path.
    return text.startsWith("target.") ? "sampled." + text : "sampled.target.preset" + text.mid(colon);
  }
  // Leaves that are objects in the file (the camera, rk45): name the member the validator names.
  const QString member = named.section('.', -1);
  for (const QString sub : {"halfExtent", "centre", "rtol", "atol"}) {
    if ((located.endsWith(".camera") || located.endsWith(".rk45")) && normalised(sub) == member) {
      return located + "." + sub + text.mid(colon);
    }
  }
  return located + text.mid(colon);
}

std::string validateSampledPart(const Scene& s) { return validateSampledScene(s.sampled); }
std::string validateDisplayPart(const Scene& s) { return validateDisplayScene(s.display); }

}  // namespace

QByteArray sceneToJson(const Scene& scene, const QString& title) {
  QJsonObject root{{"format", "scorescope-scene"}, {"version", kSceneFileVersion}};
  if (!title.isEmpty()) root["title"] = title;
  Scene copy = scene;
  visitSceneFields(copy, copy, [&](const std::string& path, const auto& field, const auto&) {
    setPath(root, QString::fromStdString(path).split('.'), 0, encode(field));
  });
  return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<SceneFile> sceneFromJson(const QByteArray& json, QString& error) {
  error.clear();  // the field loop below stops at the first error
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    error = QStringLiteral("malformed JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString());
    return std::nullopt;
  }
  if (!doc.isObject()) {
    error = "expected a JSON object {\"format\": \"scorescope-scene\", ...}";
    return std::nullopt;
  }
  const QJsonObject root = doc.object();
  SceneFile file;
  if (root.contains("format") && root["format"] != QJsonValue("scorescope-scene")) {
    error = "format: " + expectedGot("\"scorescope-scene\"", root["format"]);
    if (root["format"] == QJsonValue("scorescope-lecture")) error += " (this is a lecture file: open it as a lecture)";
    return std::nullopt;
  }
  int version = kSceneFileVersion;
  if (root.contains("version") && (!decode(root["version"], version).isEmpty() || version < 1)) {
    error = "version: " + expectedGot("an integer >= 1", root["version"]);
    return std::nullopt;
  }
  if (version > kSceneFileVersion) {
    file.warnings << QStringLiteral("version: %1 is newer than this Scorescope reads (%2); fields it does not know are ignored")
                         .arg(version)
                         .arg(kSceneFileVersion);
  }
  if (root.contains("title")) {
    if (!root["title"].isString()) {
      error = "title: " + expectedGot("a string", root["title"]);
      return std::nullopt;
    }
    file.title = root["title"].toString().left(200);
  }
  // Files of older Scorescopes may lack "format" but have a "sampled" or "display" section; a file
  // with neither is no scene file ({} or a mixture file opened by mistake), not the default scene.
  if (!root.contains("format") && !root.contains("sampled") && !root.contains("display")) {
    error = "format: expected \"scorescope-scene\" (a scene file has \"format\", \"sampled\" and \"display\"), got nothing";
    if (root.contains("components")) error += " (this looks like a mixture file: pass it as --target FILE)";
    return std::nullopt;
  }
  warnUnknownPaths(root, {}, knownPaths(), file.warnings);

  Scene scene;
  const auto decodeOver = [&](Scene& into) {
    gWarnings = &file.warnings;
    visitSceneFields(into, into, [&](const std::string& path, auto& field, auto&) {
      if (!error.isEmpty()) return;
      const QString p = QString::fromStdString(path);
      const QJsonValue value = getPath(root, p.split('.'), error);
      if (!error.isEmpty() || value.isUndefined()) return;
      gPath = p;
      if (QString why = decode(value, field); !why.isEmpty()) error = p + (why.startsWith("expected") ? ": " : ".") + why;
    });
    gWarnings = nullptr;
  };
  const QStringList warningsBefore = file.warnings;
  decodeOver(scene);
  if (!error.isEmpty()) return std::nullopt;
  // A sampler without a kind is the lesson's own (lesson 3 Langevin, 4 the reverse SDE, 5 the
  // PF-ODE), not ode-heun: lessons 3-5 run only the samplers they teach.
  QString kindError;
  if (getPath(root, {"sampled", "sampler", "kind"}, kindError).isUndefined() &&
      !samplerFitsLesson(scene.sampled.sampler.kind, scene.sampled.lesson)) {
    Scene base;
    base.sampled.sampler = enterLesson(SampledScene{}, scene.sampled.lesson).sampler;
    file.warnings = warningsBefore;
    decodeOver(base);
    if (!error.isEmpty()) return std::nullopt;
    scene = std::move(base);
  }

  if (const std::string invalid = validateSampledScene(scene.sampled); !invalid.empty()) {
    error = locateInvalidField(scene, invalid, &validateSampledPart);
    return std::nullopt;
  }
  if (const std::string invalid = checkLessonSampler(scene.sampled); !invalid.empty()) {
    error = locateInvalidField(scene, invalid, &validateSampledPart);
    return std::nullopt;
  }
  if (const std::string invalid = validateDisplayScene(scene.display); !invalid.empty()) {
    error = locateInvalidField(scene, invalid, &validateDisplayPart);
    return std::nullopt;
  }
  // What needs the target: the class exists, guidance has labels, a sweep has a guidance. A
  // learned score needs a model no file holds: the scene opens and shows why it cannot sample
  // until one is trained or given (--model), which the viewport's status line says.
  SampledScene runnable = scene.sampled;
  runnable.score = ScoreSource::Exact;
  if (const ScenePlan plan = planScene(runnable); !plan.ok()) {
    error = planErrorInFile(plan);
    return std::nullopt;
  }
  if (scene.sampled.score != ScoreSource::Exact) {
    file.warnings << "sampled.score: '" + QString::fromUtf8(scoreSourceName(scene.sampled.score).data()) +
                         "' needs a trained model; until one is trained (lesson 6) or given (--model FILE) the "
                         "scene shows a status line instead of samples";
  }
  file.scene = std::move(scene);
  return file;
}

QString planErrorInFile(const ScenePlan& plan) {
  const QString text = QString::fromStdString(plan.error);
  if (plan.errorField.empty()) return "sampled." + text;
  const qsizetype colon = text.indexOf(": ");
  return QString::fromStdString(plan.errorField) + (colon < 0 ? ": " + text : text.mid(colon));
}

std::optional<SceneFile> readSceneFile(const QString& path, QString& error) {
  const std::optional<QByteArray> bytes = readFileBounded(path, kMaxJsonBytes, "scene file", error);
  if (!bytes) return std::nullopt;
  std::optional<SceneFile> file = sceneFromJson(*bytes, error);
  if (!file) error = clip(path, 200) + ": " + error;
  return file;
}

QString writeSceneFile(const QString& path, const Scene& scene, const QString& title) {
  return writeFileAtomically(path, sceneToJson(scene, title));
}

}  // namespace scorescope::io
