// test/harness/profile/testdata/hot.ts
function hotLoop(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += Math.sqrt(i) * Math.sin(i);
  }
  return acc;
}
function allocating(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push({ i, s: `x${i}` });
  return out;
}
export {
  allocating,
  hotLoop
};
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiaG90LnRzIl0sCiAgInNvdXJjZXNDb250ZW50IjogWyIvLyBhIGZpeHR1cmUgd2l0aCBvbmUgaG90IGZ1bmN0aW9uXG5leHBvcnQgZnVuY3Rpb24gaG90TG9vcChuOiBudW1iZXIpOiBudW1iZXIge1xuICBsZXQgYWNjID0gMFxuICBmb3IgKGxldCBpID0gMDsgaSA8IG47IGkrKykge1xuICAgIGFjYyArPSBNYXRoLnNxcnQoaSkgKiBNYXRoLnNpbihpKVxuICB9XG4gIHJldHVybiBhY2Ncbn1cblxuZXhwb3J0IGZ1bmN0aW9uIGFsbG9jYXRpbmcobjogbnVtYmVyKTogdW5rbm93bltdIHtcbiAgY29uc3Qgb3V0OiB1bmtub3duW10gPSBbXVxuICBmb3IgKGxldCBpID0gMDsgaSA8IG47IGkrKykgb3V0LnB1c2goeyBpLCBzOiBgeCR7aX1gIH0pXG4gIHJldHVybiBvdXRcbn1cbiJdLAogICJtYXBwaW5ncyI6ICI7QUFDTyxTQUFTLFFBQVEsR0FBbUI7QUFDekMsTUFBSSxNQUFNO0FBQ1YsV0FBUyxJQUFJLEdBQUcsSUFBSSxHQUFHLEtBQUs7QUFDMUIsV0FBTyxLQUFLLEtBQUssQ0FBQyxJQUFJLEtBQUssSUFBSSxDQUFDO0FBQUEsRUFDbEM7QUFDQSxTQUFPO0FBQ1Q7QUFFTyxTQUFTLFdBQVcsR0FBc0I7QUFDL0MsUUFBTSxNQUFpQixDQUFDO0FBQ3hCLFdBQVMsSUFBSSxHQUFHLElBQUksR0FBRyxJQUFLLEtBQUksS0FBSyxFQUFFLEdBQUcsR0FBRyxJQUFJLENBQUMsR0FBRyxDQUFDO0FBQ3RELFNBQU87QUFDVDsiLAogICJuYW1lcyI6IFtdCn0K
