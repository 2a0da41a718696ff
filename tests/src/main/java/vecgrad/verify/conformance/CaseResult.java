package vecgrad.verify.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of one case in one precision.
 *
 * @param file    the case file it came from
 * @param id      the case id
 * @param dtype   {@code float64}/{@code float32}, or null for formats without a precision
 * @param status  passed, failed or skipped
 * @param message why it failed or was skipped (worst error for failures); empty when passed
 * @param worst   largest |actual − expected| / allowed over every compared element (0 when nothing compared)
 * @param result  the result object for {@code --out} (FORMAT.md §3), or null when skipped
 */
public record CaseResult(String file, String id, String dtype, Status status, String message, double worst,
                         ObjectNode result) {
    public enum Status { PASSED, FAILED, SKIPPED }

    /** One line for the console: {@code FAIL add/public/s101/00 [float32]: output at [1, 2]: ...}. */
    public String line() {
        String tag = switch (status) {
            case PASSED -> "ok  ";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
        };
        String detail = !message.isEmpty() ? ": " + message
                : status == Status.PASSED ? String.format(" (worst error %.2g of allowed)", worst) : "";
        return tag + " " + id + (dtype == null ? "" : " [" + dtype + "]") + detail;
    }
}
