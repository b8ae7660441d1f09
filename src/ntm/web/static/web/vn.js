// The Vietnamese number format, as the server's vn filter writes it, for every chart script:
// 2142589 -> "2.142.589", 13.43 with 2 digits -> "13,43", nothing -> "–".
"use strict";

window.ntmFormat = Object.freeze({
  vn(value, digits) {
    if (value === null || value === undefined || !isFinite(value)) {
      return "–";
    }
    const parts = Number(value).toFixed(digits || 0).split(".");
    const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return parts.length > 1 ? whole + "," + parts[1] : whole;
  },
});
