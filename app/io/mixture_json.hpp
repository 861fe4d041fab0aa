#pragma once
// Mixture files: {"components":[{"weight":0.5,"mean":[x,y],"cov":[[a,b],[b,c]],"label":0}, ...]}
// "label" is optional (default 0). Any other key, at the top level or in a component, is an
// error naming its path ("components[0].color: unknown field; expected weight, mean, cov,
// label"). A key given twice is not detected: Qt's parser keeps the last value silently.
// Read with Qt's JSON parser; validated by core's validateMixture, so the GUI and the CLI report
// the same messages.
#include <QString>
#include <optional>
#include <vector>

#include "scorescope/gaussian_mixture.hpp"

namespace scorescope::io {

std::optional<std::vector<MixtureComponent>> parseMixtureJson(const QByteArray& json,
                                                              QString& error);
std::optional<std::vector<MixtureComponent>> readMixtureFile(const QString& path, QString& error);

}  // namespace scorescope::io
