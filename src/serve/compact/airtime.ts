import { fail } from '../../core/errors.js';

/**
 * LoRa time on air (Semtech SX1276 datasheet 4.1.1.7; AN1200.13, "LoRa Modem
 * Designer's Guide"):
 *   T_sym      = 2^SF / BW
 *   T_preamble = (n_preamble + 4.25) T_sym
 *   n_payload  = 8 + max(ceil((8 PL - 4 SF + 28 + 16 CRC - 20 IH) / (4 (SF - 2 DE))) (CR + 4), 0)
 *   T_packet   = T_preamble + n_payload T_sym
 * PL is the PHY payload in bytes: the application payload plus 13 bytes of
 * LoRaWAN framing (MHDR 1, FHDR 7 without FOpts, FPort 1, MIC 4). CR = 1 for
 * coding rate 4/5, IH = 0 (explicit header), CRC = 1, and DE = 1 (low data
 * rate optimisation) at SF11 and SF12 on 125 kHz, as LoRaWAN mandates.
 */

export const LORAWAN_FRAMING_BYTES = 13;

export interface LoraParams {
  /** Spreading factor 7..12. */
  sf: number;
  /** Bandwidth in Hz (default 125 kHz). */
  bandwidthHz?: number;
  /** 1..4 for coding rate 4/5..4/8 (default 1). */
  codingRate?: number;
  /** Preamble symbols (default 8). */
  preambleSymbols?: number;
  /** Explicit header (default true). */
  explicitHeader?: boolean;
  /** Payload CRC (default true). */
  crc?: boolean;
  /** Low data rate optimisation; default on for SF11-12 at 125 kHz. */
  lowDataRateOptimize?: boolean;
}

export interface Airtime {
  sf: number;
  bandwidthHz: number;
  phyPayloadBytes: number;
  symbolMs: number;
  preambleMs: number;
  payloadSymbols: number;
  /** Whole packet, preamble included. */
  totalMs: number;
}

/** Time on air of a packet whose PHY payload is `phyPayloadBytes` (LoRaWAN framing included). */
export function timeOnAir(phyPayloadBytes: number, p: LoraParams): Airtime {
  const sf = p.sf;
  const bw = p.bandwidthHz ?? 125_000;
  const cr = p.codingRate ?? 1;
  const nPreamble = p.preambleSymbols ?? 8;
  if (!Number.isInteger(sf) || sf < 6 || sf > 12) fail('INVALID_ARGUMENT', `spreading factor must be 6..12, got ${sf}`);
  if (!Number.isInteger(phyPayloadBytes) || phyPayloadBytes < 0 || phyPayloadBytes > 255) fail('INVALID_ARGUMENT', `PHY payload must be 0..255 bytes, got ${phyPayloadBytes}`);
  if (!Number.isInteger(cr) || cr < 1 || cr > 4) fail('INVALID_ARGUMENT', `coding rate must be 1..4 (4/5..4/8), got ${cr}`);
  const ih = p.explicitHeader === false ? 1 : 0;
  const crc = p.crc === false ? 0 : 1;
  const de = (p.lowDataRateOptimize ?? (sf >= 11 && bw === 125_000)) ? 1 : 0;
  const symbolMs = (2 ** sf / bw) * 1000;
  const preambleMs = (nPreamble + 4.25) * symbolMs;
  const num = 8 * phyPayloadBytes - 4 * sf + 28 + 16 * crc - 20 * ih;
  const payloadSymbols = 8 + Math.max(Math.ceil(num / (4 * (sf - 2 * de))) * (cr + 4), 0);
  return { sf, bandwidthHz: bw, phyPayloadBytes, symbolMs, preambleMs, payloadSymbols, totalMs: preambleMs + payloadSymbols * symbolMs };
}

/** Airtime of an application payload (plus 13 bytes of LoRaWAN framing) at SF7..SF12, 125 kHz, CR 4/5. */
export function airtimeTable(appPayloadBytes: number): { sf: number; ms: number }[] {
  return [7, 8, 9, 10, 11, 12].map((sf) => ({ sf, ms: round3(timeOnAir(appPayloadBytes + LORAWAN_FRAMING_BYTES, { sf }).totalMs) }));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A LoRaWAN uplink data rate: its modulation and the largest application payload (RP002-1.0.4, repeater-compatible N values, no dwell limit). */
export interface DataRate {
  region: Region;
  dr: number;
  sf: number;
  bandwidthHz: number;
  maxPayload: number;
}

export const REGIONS = ['EU868', 'US915'] as const;
export type Region = (typeof REGIONS)[number];

const DR_TABLE: Readonly<Record<Region, readonly Omit<DataRate, 'region' | 'dr'>[]>> = {
  EU868: [
    { sf: 12, bandwidthHz: 125_000, maxPayload: 51 },
    { sf: 11, bandwidthHz: 125_000, maxPayload: 51 },
    { sf: 10, bandwidthHz: 125_000, maxPayload: 51 },
    { sf: 9, bandwidthHz: 125_000, maxPayload: 115 },
    { sf: 8, bandwidthHz: 125_000, maxPayload: 222 },
    { sf: 7, bandwidthHz: 125_000, maxPayload: 222 },
  ],
  US915: [
    { sf: 10, bandwidthHz: 125_000, maxPayload: 11 },
    { sf: 9, bandwidthHz: 125_000, maxPayload: 53 },
    { sf: 8, bandwidthHz: 125_000, maxPayload: 125 },
    { sf: 7, bandwidthHz: 125_000, maxPayload: 242 },
    { sf: 8, bandwidthHz: 500_000, maxPayload: 242 },
  ],
};

/** The data rate `dr` of `region`; INVALID_ARGUMENT for an unknown one. */
export function dataRate(region: string, dr: number): DataRate {
  if (!(REGIONS as readonly string[]).includes(region)) fail('INVALID_ARGUMENT', `unknown LoRaWAN region "${region}"`, { hint: `one of ${REGIONS.join(', ')}` });
  const row = DR_TABLE[region as Region][dr];
  if (row === undefined || !Number.isInteger(dr)) fail('INVALID_ARGUMENT', `${region} has no uplink data rate DR${dr}`, { hint: `DR0..DR${DR_TABLE[region as Region].length - 1}` });
  return { region: region as Region, dr, ...row };
}
