package io.pgrepmon.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.Optional;

/**
 * Checks a configuration file's YAML syntax before Quarkus reads it. The parser's own message quotes the offending
 * line, which may be the one holding a password; this one says only where the problem is and what it is.
 */
public final class YamlSyntax {

    private YamlSyntax() {
    }

    /**
     * The parser's problem text can name content (an undefined alias, say): every word the file has after a key
     * or a dash, where values and so passwords are, is blanked out of it.
     */
    static String redact(String text, String yaml) {
        String result = text;
        for (String line : yaml.split("\\R")) {
            int colon = line.indexOf(':');
            String value = colon >= 0 ? line.substring(colon + 1) : line.strip().startsWith("-") ? line.strip().substring(1) : line;
            for (String word : value.split("[\\s\"'\\[\\]{},&*!|>#]+")) {
                if (word.length() >= 3) {
                    result = result.replace(word, "…");
                }
            }
        }
        return result;
    }

    /** @return a message naming the file, line, column and the problem, or empty when the syntax is valid */
    public static Optional<String> check(String yaml, String file) {
        try {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(document -> { });
            return Optional.empty();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? file : file + " line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            return Optional.of(where + ": invalid YAML: " + redact(e.getProblem() + context, yaml)
                    + "; the line is not quoted here since it may hold a password");
        } catch (YAMLException e) {
            return Optional.of(file + ": invalid YAML (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            // SnakeYAML rejects some malformed tags (e.g. "! x") this way instead of with a YAMLException.
            return Optional.of(file + ": invalid YAML (a malformed tag or value); check its syntax");
        }
    }
}
