/**
 * ECharts' prebuilt ES module bundle has the API of `echarts/core` with every chart, component and
 * renderer registered, and no types of its own. echarts-svg.ts imports it because one minified file
 * loads in about a fifth of the time of the modular build's hundreds of files (see there).
 */
declare module 'echarts/dist/echarts.esm.min' {
  export { init, setPlatformAPI } from 'echarts/core';
}
