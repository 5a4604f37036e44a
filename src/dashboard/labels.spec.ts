import { describe, expect, it } from "vitest";
import { createLabels, DEFAULT_LABELS } from "./labels.js";

const { labelFor, unitSymbol, withUnit } = DEFAULT_LABELS;

describe("labels and units as people write them", () => {
  it("writes unit tokens as symbols, whatever their case", () => {
    expect(unitSymbol("degC")).toBe("°C");
    expect(unitSymbol("DEGF")).toBe("°F");
    expect(unitSymbol("percentRH")).toBe("% RH");
    expect(unitSymbol("ppm")).toBe("ppm");
    expect(unitSymbol("m2")).toBe("m²");
    expect(unitSymbol("kWh")).toBe("kWh");
    expect(unitSymbol("furlongs")).toBe("furlongs");
  });

  it("splits a unit off a key's suffix", () => {
    expect(labelFor("tempC")).toEqual({ label: "Temperature", unit: "°C" });
    expect(labelFor("supplyTempF")).toEqual({ label: "Supply temperature", unit: "°F" });
    expect(labelFor("areaM2")).toEqual({ label: "Area", unit: "m²" });
    expect(labelFor("co2ppm")).toEqual({ label: "CO₂", unit: "ppm" });
    expect(labelFor("humidityPercentRH")).toEqual({ label: "Humidity", unit: "% RH" });
    expect(labelFor("energyKWh")).toEqual({ label: "Energy", unit: "kWh" });
    expect(labelFor("powerKw")).toEqual({ label: "Power", unit: "kW" });
  });

  it("leaves a C or F alone unless it follows a temperature word", () => {
    expect(labelFor("blockC")).toEqual({ label: "Block C", unit: undefined });
    expect(labelFor("ppm")).toEqual({ label: "Ppm", unit: undefined });
  });

  it("writes acronyms and formulas as they are written", () => {
    expect(labelFor("co2")).toEqual({ label: "CO₂", unit: undefined });
    expect(labelFor("Co2")).toEqual({ label: "CO₂", unit: undefined });
    expect(labelFor("co2Level").label).toBe("CO₂ level");
    expect(labelFor("hvacMode").label).toBe("HVAC mode");
    expect(labelFor("pm25").label).toBe("PM2.5");
    expect(labelFor("id").label).toBe("ID");
    expect(labelFor("timeZone").label).toBe("Time zone");
    expect(labelFor("floor-L2").label).toBe("Floor L2");
  });

  it("puts a unit after its value, with a space, and never after a dash", () => {
    expect(withUnit("21.5", "°C")).toBe("21.5\u00a0°C");
    expect(withUnit("45", "% RH")).toBe("45\u00a0%\u00a0RH");
    expect(withUnit("—", "°C")).toBe("—");
    expect(withUnit("12", undefined)).toBe("12");
  });

  it("can be extended with words, units and key suffixes", () => {
    const labels = createLabels({ words: { vav: "VAV" }, units: { m3h: "m³/h", cfm: "CFM" }, keySuffixes: { Cfm: "cfm" } });
    expect(labels.labelFor("vavDamper").label).toBe("VAV damper");
    expect(labels.labelFor("airflowCfm")).toEqual({ label: "Airflow", unit: "CFM" });
    expect(labels.unitSymbol("M3H")).toBe("m³/h");
    // The defaults are untouched.
    expect(DEFAULT_LABELS.labelFor("vavDamper").label).toBe("Vav damper");
  });
});

describe("labels: keys are data", () => {
  it("labels keys named after Object.prototype's members as words, with no unit", () => {
    expect(labelFor("constructor")).toEqual({ label: "Constructor", unit: undefined });
    expect(labelFor("__proto__")).toEqual({ label: "Proto", unit: undefined });
    expect(labelFor("toString")).toEqual({ label: "To string", unit: undefined });
    expect(labelFor("hasOwnProperty")).toEqual({ label: "Has own property", unit: undefined });
    expect(labelFor("valueOf")).toEqual({ label: "Value of", unit: undefined });
    expect(labelFor("isPrototypeOf")).toEqual({ label: "Is prototype of", unit: undefined });
  });

  it("a unit token named after a member is returned as it is", () => {
    expect(unitSymbol("constructor")).toBe("constructor");
    expect(unitSymbol("__proto__")).toBe("__proto__");
    expect(unitSymbol("toString")).toBe("toString");
  });

  it("extensions with such keys are plain entries too", () => {
    // As a document would hold them: JSON.parse makes `__proto__` an own key.
    const units = JSON.parse('{"__proto__":"P"}') as Record<string, string>;
    const labels = createLabels({ words: { constructor: "Builder" }, units });
    expect(labels.labelFor("constructor").label).toBe("Builder");
    expect(labels.unitSymbol("__proto__")).toBe("P");
    expect(labels.labelFor("toString").label).toBe("To string");
  });
});
