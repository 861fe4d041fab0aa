#pragma once
// Mixture files: {"components":[{"weight":0.5,"mean":[x,y],"cov":[[a,b],[b,c]],"label":0}, ...]}
// "label" is optional (default 0). Read with Qt's JSON parser; validated by core's
// validateMixture, so the GUI and the CLI report the same messages.
#include <QString>
#include <optional>
#include <vector>

#include "scorescope/gaussian_mixture.hpp"

namespace scorescope::io {

std::optional<std::vector<MixtureComponent>> parseMixtureJson(const QByteArray& json,
                                                              QString& error);
std::optional<std::vector<MixtureComponent>> readMixtureFile(const QString& path, QString& error);

}  // namespace scorescope::io
